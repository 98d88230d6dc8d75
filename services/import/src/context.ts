import { ConnectorClient } from '@uif/connector-client';
import { DirectoryClient } from '@uif/directory-client';
import type { Logger } from '@uif/runtime';
import { entityLoader, serviceContext, type ServiceContext, type SubgraphContext } from '@uif/subgraph';
import { join } from 'node:path';
import { In, type DataSource } from 'typeorm';
import { BrakeHolds } from './brake/brake-holds.js';
import { BrakeService } from './brake/brake.service.js';
import type { ImportConfig } from './config.js';
import { ImportNotifier } from './email/import-notifier.js';
import { createMailer } from './email/mailer.js';
import { ImportJob } from './import-job/import-job.entity.js';
import { ImportJobService } from './import-job/import-job.service.js';
import { JobLease } from './import-job/job-lease.js';
import { ImportResultService } from './results/import-result.service.js';
import { importCandidates } from './pipeline/candidates.js';
import { ImportPipeline } from './pipeline/import-pipeline.js';
import { ProgressBus } from './progress/progress-bus.js';
import { ProgressService } from './progress/progress.service.js';
import { BullmqQueue } from './queue/bullmq-queue.js';
import { InProcessQueue } from './queue/in-process-queue.js';
import { ImportWorker } from './queue/import-worker.js';
import { ResultsLinks } from './results/results-links.js';
import { ImportScheduleService } from './schedule/import-schedule.service.js';
import { ImportScheduler } from './schedule/import-scheduler.js';

export function createImportServices(dataSource: DataSource, config: ImportConfig, log: Logger) {
  const connectors = new ConnectorClient(config.CONNECTOR_URL, config.INTERNAL_SECRET, 'import');
  const directory = new DirectoryClient(config.DIRECTORY_URL, config.INTERNAL_SECRET, 'import');
  const links = new ResultsLinks(config.PUBLIC_URL, config.INTERNAL_SECRET);
  const mailer = createMailer(
    {
      outboxDir: join(config.DATA_DIR, 'outbox'),
      from: config.MAIL_FROM,
      ...(config.SMTP_URL ? { smtpUrl: config.SMTP_URL } : {}),
    },
    log,
  );
  const notifier = new ImportNotifier(directory, mailer, links, log);
  const bus = new ProgressBus(config.REDIS_URL, log);
  const queue = config.REDIS_URL
    ? new BullmqQueue(
        config.REDIS_URL,
        config.IMPORT_CONCURRENCY,
        log,
        config.IMPORT_QUEUE_NAME,
        config.IMPORT_LEASE_SECONDS * 1000,
      )
    : new InProcessQueue(config.IMPORT_CONCURRENCY, log);
  const brakes = new BrakeService(dataSource, connectors, directory);
  const holds = new BrakeHolds(directory, log);
  const leases = new JobLease(dataSource, config.IMPORT_LEASE_SECONDS * 1000);
  const pipeline = new ImportPipeline({
    dataSource,
    connectors,
    directory,
    log,
    batchSize: config.IMPORT_BATCH_SIZE,
    leases,
    retryMs: config.IMPORT_RETRY_SECONDS * 1000,
    onProgress: (job) => bus.publish(job),
    onFinished: (job, connector) => notifier.jobFinished(job, connector),
    brakes,
    onBrakeTripped: async (job, connector) => {
      await holds.record(job, 'HELD_BY_BRAKE', job.startedBy, job.brakeTrip!.at);
      await notifier.brakeTripped(job, connector);
    },
    activeLinkedUsers: (request) => directory.activeLinkedUsers(request),
  });
  const worker = new ImportWorker(
    queue,
    pipeline,
    leases,
    dataSource,
    bus,
    {
      heartbeatMs: config.IMPORT_HEARTBEAT_SECONDS * 1000,
      sweepMs: (config.IMPORT_LEASE_SECONDS * 1000) / 2,
    },
    log,
  );
  // A small selection runs through the worker at once (see startImport), stored already claimed.
  const importJobs = new ImportJobService(
    dataSource,
    connectors,
    queue,
    (jobId) => worker.run(jobId, true),
    (job) => pipeline.dropPlan(job),
    (job, decision, actor) => holds.record(job, decision, actor),
  );
  const schedules = new ImportScheduleService(dataSource, connectors, importJobs, log);
  return {
    dataSource,
    importJobs,
    brakes,
    schedules,
    scheduler: new ImportScheduler(schedules, config.IMPORT_SCHEDULER_SECONDS * 1000, log),
    results: new ImportResultService(dataSource),
    bus,
    progress: new ProgressService(dataSource, bus),
    links,
    worker,
    candidates: (organizationId: string, connectorId: string, query: string | null) =>
      importCandidates(connectors, directory, organizationId, connectorId, query),
  };
}
export type ImportServices = ReturnType<typeof createImportServices>;

function importLoaders(dataSource: DataSource, organizationId: string) {
  return {
    importJobs: entityLoader((ids) =>
      dataSource.getRepository(ImportJob).findBy({ organizationId, id: In(ids) }),
    ),
  };
}
export type ImportContext = ServiceContext<ImportServices, ReturnType<typeof importLoaders>>;

export function createImportContext(base: SubgraphContext, services: ImportServices): ImportContext {
  return serviceContext(base, services, (organizationId) =>
    importLoaders(services.dataSource, organizationId),
  );
}
