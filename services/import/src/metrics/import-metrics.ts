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

let countQueued: (() => Promise<number>) | null = null;

gauge({
  name: 'uif_import_queue_depth',
  help: 'Import jobs waiting for a worker (status QUEUED), across all organizations',
  async collect() {
    // A database out of reach leaves the last figure: the scrape itself must not fail.
    const queued = await countQueued?.().catch(() => null);
    if (queued !== undefined && queued !== null) this.set(queued);
  },
});

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
 * The queue's depth, counted at each scrape by `count` (queued jobs in the jobs table: the same figure
 * whether jobs wait in this process or in Redis, and from any process that shares the database).
 */
export function measureQueueDepth(count: () => Promise<number>): void {
  countQueued = count;
}
