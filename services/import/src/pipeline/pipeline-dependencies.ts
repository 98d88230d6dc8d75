import type { ConnectorView } from '@uif/connector-client';
import type { DirectoryClient } from '@uif/directory-client';
import type { Logger } from '@uif/runtime';
import type { DataSource } from 'typeorm';
import type { BrakeService } from '../brake/brake.service.js';
import type { ImportJob } from '../import-job/import-job.entity.js';
import type { JobLease } from '../import-job/job-lease.js';
import type { ConnectorReads, DirectoryWrites } from './matched-pages.js';
import type { RetryPolicy } from './retrying.js';

export interface PipelineDependencies {
  dataSource: DataSource;
  connectors: ConnectorReads;
  directory: DirectoryWrites;
  log: Logger;
  /** Users per directory batch and per stored chunk. */
  batchSize: number;
  leases: JobLease;
  /** How long a call to a service that is down (or whose database is) is retried before the job fails. */
  retryMs: number;
  /** Told after every change of a job's progress (events, leases). */
  onProgress: (job: ImportJob) => void | Promise<void>;
  /** Told once a job has finished, whatever its status (the summary email). */
  onFinished: (job: ImportJob, connector: ConnectorView | null) => Promise<void>;
  /** Whether a plan's suspensions trip the connector's brake. */
  brakes: Pick<BrakeService, 'check'>;
  /** Told when a job stops to await approval (the email). */
  onBrakeTripped: (job: ImportJob, connector: ConnectorView) => Promise<void>;
  /** The connector's active users: those a complete listing lacks are gone from the application. */
  activeLinkedUsers: DirectoryClient['activeLinkedUsers'];
}

/** How the job's calls to other services are retried, each warning naming the job. */
export function retryPolicyOf(
  deps: Pick<PipelineDependencies, 'retryMs' | 'log'>,
  job: ImportJob,
): RetryPolicy {
  return { retryMs: deps.retryMs, log: deps.log, context: { jobId: job.id } };
}
