import 'reflect-metadata';
import type { DatabaseSettings } from '@uif/database';
import type { Logger } from '@uif/runtime';
import { startService, type RunningService } from '@uif/subgraph';
import { mountApiKeyRoutes } from './api-key/api-key.routes.js';
import { ApiKeyService, type CreatedKey } from './api-key/api-key.service.js';
import { ensureBootstrapAccess } from './api-key/bootstrap.js';
import type { DirectoryConfig } from './config.js';
import { createDirectoryContext, createDirectoryServices } from './context.js';
import { directoryEntities } from './database.js';
import { directoryMigrations } from './migrations/index.js';
import { buildDirectorySchema } from './schema.js';
import { mountImportHoldRoutes } from './import-hold/import-hold.routes.js';
import { mountOrganizationRoutes } from './organization/organization.routes.js';
import { mountUserBatchRoutes } from './user-batch/user-batch.routes.js';
import { mountUserRoutes } from './user/user.routes.js';
import { UserBatchService } from './user-batch/user-batch.service.js';

export { directoryConfigSchema, type DirectoryConfig } from './config.js';
export { ApiKeyService } from './api-key/api-key.service.js';
export { openDirectoryDatabase } from './database.js';

export interface DirectoryOptions {
  log?: Logger;
  queryLogger?: DatabaseSettings['queryLogger'];
}

export interface RunningDirectory extends RunningService {
  /** Set when start-up generated the first API key (printed once by the entry point). */
  generatedKey: CreatedKey | null;
}

export async function startDirectory(
  config: DirectoryConfig,
  options: DirectoryOptions = {},
): Promise<RunningDirectory> {
  let generatedKey: CreatedKey | null = null;
  const service = await startService({
    name: 'directory',
    config: { ...config, port: config.DIRECTORY_PORT },
    ...options,
    entities: directoryEntities,
    migrations: directoryMigrations,
    schema: buildDirectorySchema,
    wire: async (dataSource) => {
      const apiKeys = new ApiKeyService(dataSource);
      generatedKey = await ensureBootstrapAccess(apiKeys, config);
      const services = createDirectoryServices(dataSource);
      const batches = new UserBatchService(dataSource);
      return {
        context: (base) => createDirectoryContext(base, services),
        internalRoutes: (router) => {
          mountApiKeyRoutes(router, apiKeys);
          mountUserBatchRoutes(router, batches);
          mountUserRoutes(router, services.users);
          mountOrganizationRoutes(router, services.organizations);
          mountImportHoldRoutes(router, services.importHolds);
        },
      };
    },
  });
  return { ...service, generatedKey };
}
