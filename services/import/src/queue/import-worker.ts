import type { Logger } from '@uif/runtime';
import type { DataSource } from 'typeorm';
import { ImportJob } from '../import-job/import-job.entity.js';
import type { JobLease } from '../import-job/job-lease.js';
import type { ImportPipeline } from '../pipeline/import-pipeline.js';
import type { ProgressBus } from '../progress/progress-bus.js';
import type { JobQueue } from './job-queue.js';

const PROGRESS_INTERVAL_MS = 1_500;

export interface LeaseSettings {
  /** How often a running job's heartbeat is written. */
  heartbeatMs: number;
  /** How often jobs nobody runs are looked for. */
  sweepMs: number;
}

/**
 * Runs queued jobs through the pipeline, keeps a heartbeat on each, and takes over jobs left
 * queued or running by a worker that stopped (a crash), so every job ends.
 */
export class ImportWorker {
  private readonly runningHere = new Set<string>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly pipeline: ImportPipeline,
    private readonly leases: JobLease,
    private readonly dataSource: DataSource,
    private readonly progress: ProgressBus,
    private readonly lease: LeaseSettings,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.queue.consume((jobId) => this.run(jobId));
    await this.recover();
    this.sweeper = setInterval(() => void this.recover(), this.lease.sweepMs);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.queue.close();
  }

  private async recover(): Promise<void> {
    try {
      const orphans = await this.leases.unfinished();
      for (const jobId of orphans.filter((id) => !this.runningHere.has(id))) {
        this.log.info({ jobId }, 'taking over an import job nobody is running');
        await this.queue.enqueue(jobId);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'looking for unfinished import jobs failed');
    }
  }

  /**
   * Runs one job here until it ends, keeping its heartbeat and publishing its progress; `claimed`:
   * the job was stored already taken by this process (a selection run inside startImport).
   */
  async run(jobId: string, claimed = false): Promise<void> {
    if (this.runningHere.has(jobId)) return;
    this.runningHere.add(jobId);
    const jobs = this.dataSource.getRepository(ImportJob);
    const beat = setInterval(() => {
      this.leases
        .beat(jobId)
        .catch((error: unknown) => this.log.warn({ jobId, err: error }, 'writing the heartbeat failed'));
    }, this.lease.heartbeatMs);
    // Subscribers hear from a running job at least every 2 s, even while a page takes long.
    const tick = setInterval(() => {
      jobs
        .findOneBy({ id: jobId })
        .then((job) => job && this.progress.publish(job))
        .catch((error: unknown) => this.log.warn({ jobId, err: error }, 'publishing progress failed'));
    }, PROGRESS_INTERVAL_MS);
    try {
      await this.pipeline.run(jobId, claimed);
    } finally {
      clearInterval(beat);
      clearInterval(tick);
      this.runningHere.delete(jobId);
    }
  }
}
