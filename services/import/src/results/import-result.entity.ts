import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttributeChange, ImportOutcome } from '../import-job/import-job.types.js';

/** The outcome for one provider user of one job; `seq` is its place in the provider's listing. */
export interface StoredResult {
  seq: number;
  externalId: string | null;
  email: string | null;
  username: string | null;
  outcome: ImportOutcome;
  detail: string | null;
  userId: string | null;
  /** What an update, suspension or reactivation changed (or, in a dry run, would change). */
  changes: AttributeChange[] | null;
}

/** A result in its chunk, which holds the outcome. */
export type ChunkedResult = Omit<StoredResult, 'outcome'>;

/**
 * Results of one job with one outcome, stored together as they are decided or applied (a group or
 * a batch of users at a time): one row per thousand users instead of one per user, the largest
 * share of an unchanged re-import's writes. Chunks of one job may interleave in seq; each user's
 * result is in exactly one, so a chunk's first seq is unique in its job.
 */
@Entity('import_result_chunks')
export class ImportResultChunk {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jobId!: string;

  @PrimaryColumn({ type: 'int' })
  firstSeq!: number;

  @Column({ type: 'int' })
  lastSeq!: number;

  @Column({ type: 'varchar', length: 16 })
  outcome!: ImportOutcome;

  /** Results in the chunk: totals and counts are summed without reading them. */
  @Column({ type: 'int' })
  count!: number;

  /** In seq order. */
  @Column({ type: 'simple-json' })
  results!: ChunkedResult[];
}
