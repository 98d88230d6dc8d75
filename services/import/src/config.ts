import { configFields } from '@uif/runtime';
import { serviceConfigFields } from '@uif/subgraph';
import { z } from 'zod';
import { DEFAULT_IMPORT_CONCURRENCY } from './entry.js';

export const importConfigSchema = z
  .object({
    ...serviceConfigFields,
    IMPORT_PORT: configFields.port('IMPORT_PORT'),
    DIRECTORY_URL: configFields.url,
    CONNECTOR_URL: configFields.url,
    /** The gateway's public origin: results download links point there (unset: http://localhost:<PORT>). */
    PUBLIC_URL: configFields.url,
    /** smtp://user:password@host:port; unset: emails are written as .eml files to DATA_DIR/outbox. */
    SMTP_URL: z
      .string()
      .refine(
        (value) => /^smtps?:\/\//.test(value) && URL.canParse(value),
        'must be an smtp:// or smtps:// URL',
      )
      .optional(),
    /** redis://host:6379: jobs wait in Redis (BullMQ) and several processes share them; unset: in process. */
    REDIS_URL: z
      .string()
      .refine(
        (value) => /^rediss?:\/\//.test(value) && URL.canParse(value),
        'must be a redis:// or rediss:// URL',
      )
      .optional(),
    /** The BullMQ queue; processes of one deployment share it, other deployments on the same Redis must not. */
    IMPORT_QUEUE_NAME: z
      .string()
      .regex(/^[\w.-]+$/)
      .default('uif-imports'),
    MAIL_FROM: z.string().default('User Import <no-reply@user-import.local>'),
    IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(2000),
    IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(DEFAULT_IMPORT_CONCURRENCY),
    IMPORT_HEARTBEAT_SECONDS: z.coerce.number().positive().default(5),
    IMPORT_LEASE_SECONDS: z.coerce.number().positive().default(60),
    /** How long a job keeps retrying a directory or connector service that is down before it fails. */
    IMPORT_RETRY_SECONDS: z.coerce.number().min(0).default(60),
    /** How often this process looks for schedules whose time has come. */
    IMPORT_SCHEDULER_SECONDS: z.coerce.number().positive().default(15),
    /**
     * all: API, workers and scheduler in one process (the default); api: GraphQL and the scheduler,
     * jobs run elsewhere; worker: runs jobs from the queue. Split roles need REDIS_URL.
     */
    IMPORT_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  })
  .refine((config) => config.IMPORT_ROLE === 'all' || config.REDIS_URL !== undefined, {
    message: 'api and worker processes share their jobs through Redis: set REDIS_URL',
    path: ['IMPORT_ROLE'],
  });

export type ImportConfig = z.output<typeof importConfigSchema>;
