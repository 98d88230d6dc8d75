import { z } from 'zod';

/** Thrown with every problem of a configuration at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(
    readonly appName: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for ${appName}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Parses the environment with a zod schema; empty strings count as unset. */
export function parseConfig<S extends z.ZodType>(
  appName: string,
  schema: S,
  env: Env = process.env,
): z.output<S> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    appName,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

/** For an app's entry point: on a bad configuration print every problem and exit 1. */
export function loadConfig<S extends z.ZodType>(
  appName: string,
  schema: S,
  env: Env = process.env,
): z.output<S> {
  try {
    return parseConfig(appName, schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Reusable field schemas, so every app names and checks the same variables the same way. */
export const configFields = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: z.string().default('127.0.0.1'),
  url: z.url({ message: 'must be a URL such as http://127.0.0.1:4001' }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  internalSecret: z
    .string({ message: 'is required: the secret the gateway signs caller identities with' })
    .min(32, 'must be at least 32 characters'),
  databaseUrl: z
    .string()
    .refine((value) => /^mysql:\/\/[^/]+/.test(value) && URL.canParse(value), {
      message:
        'must look like mysql://user:password@host:3306/database (leave it unset for the embedded SQLite)',
    })
    .optional(),
  dataDir: z.string().default('data'),
  boolean: z
    .enum(['true', 'false', '1', '0'])
    .transform((value) => value === 'true' || value === '1')
    .default(false),
};
