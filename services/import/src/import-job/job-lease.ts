import { hostname } from 'node:os';
import { Brackets, type DataSource } from 'typeorm';
import { ImportJob, ImportJobStatus } from './import-job.entity.js';

/** This process, as jobs record who runs them (`import_jobs.workerId`). */
export const WORKER_ID = `${hostname()}:${process.pid}`;

/**
 * Who runs a job: a process claims it, keeps a heartbeat on it while it runs, and a job whose
 * heartbeat is older than the lease is taken over by another process (its worker died).
 */
export class JobLease {
  constructor(
    private readonly dataSource: DataSource,
    /** A running job whose heartbeat is older than this may be taken over. */
    private readonly leaseMs: number,
  ) {}

  private get jobs() {
    return this.dataSource.getRepository(ImportJob);
  }

  /**
   * Takes the job for this process: a queued one, or a running one whose worker has been silent for
   * the lease (it died). A conditional update, so two processes never run one job at once, whatever
   * queue handed them its id; null when the job is finished or another process has it.
   */
  async claim(jobId: string): Promise<ImportJob | null> {
    const now = new Date();
    const stale = new Date(now.getTime() - this.leaseMs);
    const { affected } = await this.jobs
      .createQueryBuilder()
      .update(ImportJob)
      .set({ status: ImportJobStatus.RUNNING, heartbeatAt: now, workerId: WORKER_ID })
      .where('id = :jobId', { jobId })
      .andWhere(
        new Brackets((either) =>
          either
            .where('status = :queued', { queued: ImportJobStatus.QUEUED })
            .orWhere('status = :running AND (heartbeatAt IS NULL OR heartbeatAt < :stale)', {
              running: ImportJobStatus.RUNNING,
              stale,
            }),
        ),
      )
      .execute();
    if (!affected) return null;
    return this.heldHere(jobId);
  }

  /** A job this process holds (RUNNING under its WORKER_ID); null if it lost it. */
  heldHere(jobId: string): Promise<ImportJob | null> {
    return this.jobs.findOneBy({ id: jobId, status: ImportJobStatus.RUNNING, workerId: WORKER_ID });
  }

  /** Tells other processes that this one still runs the job. */
  async beat(jobId: string): Promise<void> {
    await this.jobs.update({ id: jobId }, { heartbeatAt: new Date() });
  }

  /** Jobs a worker should run: queued ones, and running ones whose worker stopped beating. */
  async unfinished(): Promise<string[]> {
    const staleBefore = new Date(Date.now() - this.leaseMs);
    const jobs = await this.jobs.find({
      where: [{ status: ImportJobStatus.QUEUED }, { status: ImportJobStatus.RUNNING }],
      select: { id: true, status: true, heartbeatAt: true },
      order: { createdAt: 'ASC' },
    });
    return jobs
      .filter(
        (job) => job.status === ImportJobStatus.QUEUED || !job.heartbeatAt || job.heartbeatAt < staleBefore,
      )
      .map((job) => job.id);
  }
}
