import 'reflect-metadata';
import type { Logger } from '@uif/runtime';
import { buildFederatedSchema, startService, type RunningService } from '@uif/subgraph';
import type { ImportConfig } from './config.js';
import { createImportContext, createImportServices } from './context.js';
import { ImportJob, type ImportJobStatus } from './import-job/import-job.entity.js';
import {
  ConnectorImportsResolver,
  ImportJobResolver,
  importReferenceResolvers,
} from './import-job/import-job.resolver.js';
import { ImportResultChunk } from './results/import-result.entity.js';
import { measureWaitingJobs } from './metrics/import-metrics.js';
import { importMigrations } from './migrations/index.js';
import { ImportPlanBatch } from './pipeline/import-plan.entity.js';
import type { ProgressBus } from './progress/progress-bus.js';
import { ProgressResolver } from './progress/progress.resolver.js';
import { mountResultsRoutes } from './results/results.routes.js';
import { RESULTS_DOWNLOAD_PATH } from './results/results-links.js';
import { mountConnectorEventRoutes } from './schedule/connector-events.routes.js';
import { ImportSchedule } from './schedule/import-schedule.entity.js';
import { ConnectorScheduleResolver, ImportScheduleResolver } from './schedule/import-schedule.resolver.js';
import { ImportBrake } from './brake/brake.entity.js';
import { ConnectorBrakeResolver, ImportBrakeResolver } from './brake/brake.resolver.js';

export { importConfigSchema, type ImportConfig } from './config.js';
export { RESULTS_DOWNLOAD_PATH } from './results/results-links.js';

export async function startImport(
  config: ImportConfig,
  options: { log?: Logger } = {},
): Promise<RunningService> {
  let stopWorker: () => Promise<void> = async () => undefined;
  let bus: ProgressBus | undefined;
  const service = await startService({
    name: 'import',
    config: { ...config, port: config.IMPORT_PORT },
    ...options,
    entities: [ImportJob, ImportPlanBatch, ImportResultChunk, ImportSchedule, ImportBrake],
    migrations: importMigrations,
    schema: () =>
      buildFederatedSchema({
        resolvers: [
          ImportJobResolver,
          ConnectorImportsResolver,
          ProgressResolver,
          ImportScheduleResolver,
          ConnectorScheduleResolver,
          ImportBrakeResolver,
          ConnectorBrakeResolver,
        ],
        referenceResolvers: importReferenceResolvers,
        // startService wires the service (making the bus) before it builds the schema.
        pubSub: bus!.pubSub,
      }),
    wire: async (dataSource, log) => {
      const services = createImportServices(dataSource, config, log);
      measureWaitingJobs((status) =>
        dataSource.getRepository(ImportJob).countBy({ status: status as ImportJobStatus }),
      );
      bus = services.bus;
      if (config.IMPORT_ROLE !== 'api') await services.worker.start();
      // Every process may tick: a tick is claimed in the database, so it runs once whoever sees it.
      services.scheduler.start();
      stopWorker = async () => {
        await services.scheduler.stop();
        await services.worker.stop();
        services.bus.close();
      };
      return {
        context: (base) => createImportContext(base, services),
        internalRoutes: (router) => {
          mountResultsRoutes(router, services.links, services.results, log);
          mountConnectorEventRoutes(router, services.schedules);
        },
        publicLinkRoutes: [`${RESULTS_DOWNLOAD_PATH}/`],
      };
    },
  });
  return {
    ...service,
    stop: async () => {
      await stopWorker();
      await service.stop();
      stopWorker = async () => undefined;
    },
  };
}
