import { configFields } from '@uif/runtime';
import { serviceConfigFields } from '@uif/subgraph';
import { z } from 'zod';

export const connectorConfigSchema = z.object({
  ...serviceConfigFields,
  CONNECTOR_PORT: configFields.port('CONNECTOR_PORT'),
  /** 32 bytes, base64 or hex; unset: generated once into DATA_DIR/secret-key. */
  SECRET_KEY: z
    .string()
    .refine((value) => /^[0-9a-f]{64}$/i.test(value) || Buffer.from(value, 'base64').length === 32, {
      message: 'must be 32 bytes, as 64 hex digits or base64',
    })
    .optional(),
  ALLOW_PRIVATE_NETWORK_TARGETS: configFields.boolean,
  /** Private hosts connectors may reach with the guard on: comma-separated names or IP addresses. */
  PRIVATE_TARGET_ALLOWLIST: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((host) => host.trim())
        .filter(Boolean),
    ),
  /** The gateway's public origin: OAuth providers send the admin's browser back to it. */
  PUBLIC_URL: configFields.url,
  /** The import service, told of activations (default schedule) and deactivations. */
  IMPORT_URL: configFields.url,
  PROVIDER_TIMEOUT_SECONDS: z.coerce.number().positive().default(30),
  PROVIDER_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  PROVIDER_RETRY_BASE_MS: z.coerce.number().int().min(1).default(500),
});

export type ConnectorConfig = z.output<typeof connectorConfigSchema>;
