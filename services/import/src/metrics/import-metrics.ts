import { counter, gauge, histogram } from '@uif/metrics';

const jobs = counter({
  name: 'uif_import_jobs_total',
  help: 'Import jobs that ended, by final status and trigger',
  labelNames: ['status', 'trigger'],
});

const users = counter({
  name: 'uif_import_users_total',
  help: 'Users of ended import jobs, by outcome',
  labelNames: ['outcome'],
});

const duration = histogram({
  name: 'uif_import_job_duration_seconds',
  help: 'From start to end of an import job',
  labelNames: ['trigger'],
  buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
});

type WaitingStatus = 'QUEUED' | 'AWAITING_APPROVAL';
let countJobs: ((status: WaitingStatus) => Promise<number>) | null = null;

/** A gauge read from the jobs table at each scrape; a database out of reach keeps the last figure. */
function jobsGauge(name: string, help: string, status: WaitingStatus): void {
  gauge({
    name,
    help,
    async collect() {
      const jobs = await countJobs?.(status).catch(() => null);
      if (jobs !== undefined && jobs !== null) this.set(jobs);
    },
  });
}

jobsGauge(
  'uif_import_queue_depth',
  'Import jobs waiting for a worker (QUEUED), in every organization',
  'QUEUED',
);
jobsGauge(
  'uif_import_jobs_awaiting_approval',
  "Import jobs stopped by a connector's brake until someone approves or cancels them",
  'AWAITING_APPROVAL',
);

const OUTCOMES = [
  'created',
  'updated',
  'suspended',
  'reactivated',
  'unchanged',
  'skipped',
  'failed',
] as const;

/** Counts a job that has just ended (call once, where its final status is stored). */
export function recordImportJobEnded(job: {
  status: string;
  trigger: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  counts: Record<(typeof OUTCOMES)[number], number>;
}): void {
  jobs.inc({ status: job.status, trigger: job.trigger });
  for (const outcome of OUTCOMES) if (job.counts[outcome] > 0) users.inc({ outcome }, job.counts[outcome]);
  if (job.startedAt && job.finishedAt) {
    duration.observe({ trigger: job.trigger }, (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000);
  }
}

/**
 * Where the waiting jobs are counted: the jobs table, so the figures are the same whether jobs wait
 * in this process or in Redis, and from any process that shares the database.
 */
export function measureWaitingJobs(count: (status: WaitingStatus) => Promise<number>): void {
  countJobs = count;
}
