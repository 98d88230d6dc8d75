import { ImportJob } from '../import-job/import-job.entity.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';

/** Raised between pages or batches when an admin cancelled the job. */
export class Cancelled extends Error {}

const CANCEL_CHECK_MS = 500;
const FETCH_SAVE_MS = 1_000;

/**
 * The row of a running job: its progress saved and told to subscribers, and an admin's request to
 * cancel it read back. Shared by every phase, so that throttling counts every save of the job.
 */
export class JobProgress {
  private readonly lastCancelCheck = new WeakMap<ImportJob, number>();
  private readonly lastSaved = new WeakMap<ImportJob, number>();

  constructor(private readonly deps: Pick<PipelineDependencies, 'dataSource' | 'onProgress'>) {}

  private get jobs() {
    return this.deps.dataSource.getRepository(ImportJob);
  }

  async save(job: ImportJob): Promise<void> {
    this.lastSaved.set(job, Date.now());
    await this.jobs.update(
      { id: job.id },
      {
        status: job.status,
        phase: job.phase,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        total: job.total,
        processed: job.processed,
        counts: job.counts,
        warnings: job.warnings,
        error: job.error,
        workerId: job.workerId,
        brakeTrip: job.brakeTrip,
      },
    );
    await this.deps.onProgress(job);
  }

  /**
   * After a page: subscribers hear of it at once, the database at most once a second (a crash
   * while reading starts the reading over anyway).
   */
  async pageRead(job: ImportJob): Promise<void> {
    const now = Date.now();
    if (now - (this.lastSaved.get(job) ?? 0) < FETCH_SAVE_MS) {
      await this.deps.onProgress(job);
      return;
    }
    await this.save(job);
  }

  /** Asks the database whether an admin cancelled the job, at most twice a second. */
  async checkCancelled(job: ImportJob): Promise<void> {
    const now = Date.now();
    if (now - (this.lastCancelCheck.get(job) ?? 0) < CANCEL_CHECK_MS) return;
    this.lastCancelCheck.set(job, now);
    const current = await this.jobs.findOne({
      where: { id: job.id },
      select: { id: true, cancelRequestedAt: true },
    });
    if (current?.cancelRequestedAt) throw new Cancelled();
  }
}
