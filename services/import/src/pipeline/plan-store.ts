import { bulkInsert } from '@uif/database';
import { MoreThan } from 'typeorm';
import type { ImportJob } from '../import-job/import-job.entity.js';
import { COUNT_OF_OUTCOME, emptyCounts, type ImportOutcome } from '../import-job/import-job.types.js';
import { ImportResultChunk, type StoredResult } from '../results/import-result.entity.js';
import { chunksOf } from '../results/result-chunks.js';
import { ImportPlanBatch, type PlannedChange } from './import-plan.entity.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';

/**
 * The job's stored plan (`ImportPlanBatch` rows): written while fetching, read and emptied while
 * applying. A planned user leaves the plan in the transaction that stores its result, so that a
 * crash leaves each user either planned or with its result.
 */
export class PlanStore {
  constructor(private readonly deps: Pick<PipelineDependencies, 'dataSource' | 'batchSize'>) {}

  /** Drops the plan and results of an earlier attempt: a resumed fetch starts over. */
  async clear(job: ImportJob): Promise<void> {
    await this.deps.dataSource.transaction(async (manager) => {
      await manager.delete(ImportPlanBatch, { jobId: job.id });
      await manager.delete(ImportResultChunk, { jobId: job.id });
    });
  }

  /**
   * Stores the final results of a group with its planned changes, cut at the batch size (a group
   * may hold a page more than a batch).
   */
  async store(job: ImportJob, plans: PlannedChange[], finals: StoredResult[] = []): Promise<void> {
    await this.deps.dataSource.transaction(async (manager) => {
      await bulkInsert(manager, ImportResultChunk, chunksOf(job.id, finals));
      const batches: ImportPlanBatch[] = [];
      for (let start = 0; start < plans.length; start += this.deps.batchSize) {
        const changes = plans.slice(start, start + this.deps.batchSize);
        batches.push(Object.assign(new ImportPlanBatch(), { jobId: job.id, seq: changes[0]!.seq, changes }));
      }
      await bulkInsert(manager, ImportPlanBatch, batches);
    });
  }

  /** The batch after the one at seq `after`, in the order the provider listed the users; null at the end. */
  next(job: ImportJob, after: number): Promise<ImportPlanBatch | null> {
    return this.deps.dataSource
      .getRepository(ImportPlanBatch)
      .findOne({ where: { jobId: job.id, seq: MoreThan(after) }, order: { seq: 'ASC' } });
  }

  /** Every batch not applied yet. */
  remaining(job: ImportJob): Promise<ImportPlanBatch[]> {
    return this.deps.dataSource
      .getRepository(ImportPlanBatch)
      .find({ where: { jobId: job.id }, order: { seq: 'ASC' } });
  }

  /**
   * Sets the job's outcome counts and processed users to what its stored results say. A worker that
   * died between storing a batch's results and saving the job row left the row's counts behind.
   */
  async recount(job: ImportJob): Promise<void> {
    const rows = await this.deps.dataSource
      .getRepository(ImportResultChunk)
      .createQueryBuilder('chunk')
      .select('chunk.outcome', 'outcome')
      .addSelect('SUM(chunk.count)', 'count')
      .where('chunk.jobId = :jobId', { jobId: job.id })
      .groupBy('chunk.outcome')
      .getRawMany<{ outcome: ImportOutcome; count: number | string }>();
    const counts = { ...emptyCounts(), fetched: job.counts.fetched };
    for (const { outcome, count } of rows) counts[COUNT_OF_OUTCOME[outcome]] += Number(count);
    job.counts = counts;
    job.processed = rows.reduce((sum, { count }) => sum + Number(count), 0);
  }

  /** Stores the results of planned users and drops them from the plan: the batch at `seq`, or every one. */
  async resolve(job: ImportJob, results: StoredResult[], seq?: number): Promise<void> {
    await this.deps.dataSource.transaction(async (manager) => {
      await bulkInsert(manager, ImportResultChunk, chunksOf(job.id, results));
      await manager.delete(ImportPlanBatch, seq === undefined ? { jobId: job.id } : { jobId: job.id, seq });
    });
  }
}
