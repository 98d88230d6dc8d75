import { configFields } from '@uif/runtime';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  PORT: configFields.port(4000),
  HOST: z.string().default('0.0.0.0'),
  INTERNAL_SECRET: configFields.internalSecret,
  DIRECTORY_URL: configFields.url.default('http://127.0.0.1:4001'),
  CONNECTOR_URL: configFields.url.default('http://127.0.0.1:4002'),
  IMPORT_URL: configFields.url.default('http://127.0.0.1:4003'),
  LOG_LEVEL: configFields.logLevel,
  /** How long start-up waits for the subgraphs to answer before it gives up. */
  SUBGRAPH_WAIT_SECONDS: z.coerce.number().int().min(0).default(60),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(1).default(12),
  MAX_QUERY_COST: z.coerce.number().int().min(1).default(25_000),
  INTROSPECTION: configFields.boolean.default(true),
  EXPLORER: configFields.boolean.default(true),
  /** Seconds a verified API key stays trusted without asking the directory again. */
  AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).default(30),
  /** Requests per API key and minute (shared through Redis when REDIS_URL is set). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  /** Provider calls (tests, previews, candidates) per operation, and per organization at once. */
  PROVIDER_CALLS_AT_ONCE: z.coerce.number().int().min(1).default(4),
  REDIS_URL: z
    .string()
    .refine(
      (value) => /^rediss?:\/\//.test(value) && URL.canParse(value),
      'must be a redis:// or rediss:// URL',
    )
    .optional(),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export function subgraphList(config: GatewayConfig): { name: string; url: string }[] {
  return [
    { name: 'directory', url: config.DIRECTORY_URL },
    { name: 'connector', url: config.CONNECTOR_URL },
    { name: 'import', url: config.IMPORT_URL },
  ];
}
