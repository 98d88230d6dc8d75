import type { UserAttributes } from '@uif/directory-client';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PlannedAction = 'create' | 'update' | 'suspend' | 'reactivate';

/** A change decided for one provider user while reading the provider, not applied yet. */
export interface PlannedChange {
  /** The user's place in the provider's listing (its result row's seq). */
  seq: number;
  externalId: string;
  email: string | null;
  username: string | null;
  action: PlannedAction;
  /** The user matched by email (a link is made), or null: the directory finds it by link. */
  userId: string | null;
  /** Null: only the state changes (a user gone from the application is suspended as it is). */
  attributes: Partial<UserAttributes> | null;
  /** Said on the result instead of what changed. */
  detail?: string;
}

/**
 * The changes decided for one group of provider users, applied later as one directory batch: kept
 * in the database so that deciding is done before anything is written, and a job resumed after a
 * crash goes on from here. One row per batch, not per user: written, read and deleted once each.
 */
@Entity('import_plan')
export class ImportPlanBatch {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jobId!: string;

  /** The seq of its first change: batches are applied in this order. */
  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'simple-json' })
  changes!: PlannedChange[];
}
