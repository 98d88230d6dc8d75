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

/** The ports everything listens on unless told otherwise: the gateway's `PORT`, then each subgraph's. */
export const DEFAULT_PORTS = { PORT: 4000, DIRECTORY_PORT: 4001, CONNECTOR_PORT: 4002, IMPORT_PORT: 4003 };

/**
 * Defaults that follow other variables, so one override moves everything that depends on it:
 * `PUBLIC_URL` follows the gateway's `PORT`, and each subgraph's URL follows that subgraph's port
 * (on `subgraphHost`). A port that is not a number keeps its default here (its own check names it).
 */
export function linkedDefaults(env: Env, subgraphHost = '127.0.0.1'): Record<string, string> {
  const port = (name: keyof typeof DEFAULT_PORTS) => {
    const value = env[name];
    return value && /^\d+$/.test(value) ? value : String(DEFAULT_PORTS[name]);
  };
  const host = subgraphHost.includes(':') ? `[${subgraphHost}]` : subgraphHost;
  return {
    PUBLIC_URL: `http://localhost:${port('PORT')}`,
    DIRECTORY_URL: `http://${host}:${port('DIRECTORY_PORT')}`,
    CONNECTOR_URL: `http://${host}:${port('CONNECTOR_PORT')}`,
    IMPORT_URL: `http://${host}:${port('IMPORT_PORT')}`,
  };
}

/**
 * Parses the environment with a zod schema; empty strings count as unset, and the linked defaults
 * fill what is left unset (a schema ignores those it does not declare).
 */
export function parseConfig<S extends z.ZodType>(
  appName: string,
  schema: S,
  env: Env = process.env,
): z.output<S> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse({ ...linkedDefaults(cleaned), ...cleaned });
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
  port: (name: keyof typeof DEFAULT_PORTS) =>
    z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORTS[name]),
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
