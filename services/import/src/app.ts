import 'reflect-metadata';
import type { Logger } from '@uif/runtime';
import { buildFederatedSchema, startService, type RunningService } from '@uif/subgraph';
import type { ImportConfig } from './config.js';
import { createImportContext, createImportServices } from './context.js';
import { ImportJob } from './import-job/import-job.entity.js';
import { importJobReferenceResolver, ImportJobResolver } from './import-job/import-job.resolver.js';
import { importMigrations } from './migrations/index.js';

export { importConfigSchema, type ImportConfig } from './config.js';

export function startImport(config: ImportConfig, options: { log?: Logger } = {}): Promise<RunningService> {
  return startService({
    name: 'import',
    config: { ...config, port: config.IMPORT_PORT },
    ...options,
    entities: [ImportJob],
    migrations: importMigrations,
    schema: () =>
      buildFederatedSchema({
        resolvers: [ImportJobResolver],
        referenceResolvers: importJobReferenceResolver,
      }),
    wire: async (dataSource) => {
      const services = createImportServices(dataSource);
      return { context: (base) => createImportContext(base, services) };
    },
  });
}
