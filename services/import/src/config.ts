import { configFields } from '@uif/runtime';
import { serviceConfigFields } from '@uif/subgraph';
import { z } from 'zod';

export const importConfigSchema = z.object({ ...serviceConfigFields, IMPORT_PORT: configFields.port(4003) });

export type ImportConfig = z.output<typeof importConfigSchema>;
