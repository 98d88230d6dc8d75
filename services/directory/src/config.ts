import { configFields } from '@uif/runtime';
import { serviceConfigFields } from '@uif/subgraph';
import { z } from 'zod';

export const directoryConfigSchema = z
  .object({
    ...serviceConfigFields,
    DIRECTORY_PORT: configFields.port('DIRECTORY_PORT'),
    BOOTSTRAP_ORG_ID: z.string().max(64).optional(),
    BOOTSTRAP_API_KEY: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  })
  .refine((config) => (config.BOOTSTRAP_ORG_ID === undefined) === (config.BOOTSTRAP_API_KEY === undefined), {
    message: 'BOOTSTRAP_ORG_ID and BOOTSTRAP_API_KEY go together: set both or neither',
    path: ['BOOTSTRAP_API_KEY'],
  });

export type DirectoryConfig = z.output<typeof directoryConfigSchema>;
