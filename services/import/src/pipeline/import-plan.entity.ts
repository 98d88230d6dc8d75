import type { UserAttributes } from '@uif/directory-client';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PlannedAction = 'create' | 'update' | 'suspend' | 'reactivate';

/**
 * A change decided while reading the provider and not applied yet: kept in the database so that
 * deciding is done before anything is written, and a job resumed after a crash goes on from here.
 */
@Entity('import_plan')
export class ImportPlanRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jobId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'varchar', length: 255 })
  externalId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  username!: string | null;

  @Column({ type: 'varchar', length: 16 })
  action!: PlannedAction;

  /** The user matched by email (a link is made), or null: the directory finds it by link. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  userId!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  attributes!: Partial<UserAttributes> | null;
}
