import type { DataSource } from 'typeorm';
import { ImportJob } from '../import-job/import-job.entity.js';
import { ImportJobNotFoundError } from '../import-job/import-job.errors.js';
import { progressOf, type ImportProgress } from '../import-job/import-progress.js';
import { ImportPhase } from '../import-job/import-job.types.js';
import type { ProgressBus } from './progress-bus.js';

/** The two progress feeds the API offers, scoped to one organization. */
export class ProgressService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: ProgressBus,
  ) {}

  /**
   * One job's progress: its current state first (so a late subscriber of a finished job still gets
   * its end), then every event until the one with phase DONE.
   */
  async *jobProgress(organizationId: string, jobId: string): AsyncGenerator<ImportProgress> {
    const events = this.bus.subscribe(organizationId)[Symbol.asyncIterator]();
    // Listening starts before the current state is read, so no event falls between the two.
    let next = events.next();
    try {
      const job = await this.dataSource.getRepository(ImportJob).findOneBy({ organizationId, id: jobId });
      if (!job) throw new ImportJobNotFoundError(jobId);
      yield progressOf(job);
      if (job.phase === ImportPhase.DONE) return;
      for (;;) {
        const { value, done } = await next;
        if (done) return;
        next = events.next();
        if (value.jobId !== jobId) continue;
        yield value;
        if (value.phase === ImportPhase.DONE) return;
      }
    } finally {
      await events.return?.();
    }
  }

  /** Every job of the organization as it starts, advances and ends. */
  updates(organizationId: string): AsyncIterable<ImportProgress> {
    return this.bus.subscribe(organizationId);
  }
}
