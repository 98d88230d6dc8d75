import type { DataSource } from 'typeorm';
import {
  ImportJob,
  ImportJobStatus,
  ImportOperation,
  ImportTrigger,
} from '../import-job/import-job.entity.js';
import { emptyCounts, ImportPhase } from '../import-job/import-job.types.js';

/**
 * Stores a manual job of the fake connector that creates and updates users, QUEUED unless
 * `overrides` say otherwise, straight in the import's database (tests of the pipeline and of
 * migrations); answers its id.
 */
export async function insertJob(dataSource: DataSource, overrides: Partial<ImportJob> = {}): Promise<string> {
  const jobs = dataSource.getRepository(ImportJob);
  const job = jobs.create({
    id: `job-${Math.random().toString(36).slice(2)}`,
    organizationId: 'org-1',
    connectorId: 'connector-1',
    trigger: ImportTrigger.MANUAL,
    operations: [ImportOperation.USER_CREATE, ImportOperation.USER_UPDATE],
    allowUserReactivation: false,
    query: null,
    selectedExternalIds: null,
    sendEmail: false,
    status: ImportJobStatus.QUEUED,
    phase: ImportPhase.QUEUED,
    startedBy: 'test',
    createdAt: new Date(),
    startedAt: null,
    finishedAt: null,
    total: null,
    processed: 0,
    counts: emptyCounts(),
    warnings: [],
    error: null,
    cancelRequestedAt: null,
    heartbeatAt: null,
    workerId: null,
    ...overrides,
  });
  await jobs.insert(job);
  return job.id;
}
