import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttributeChange, ImportOutcome } from '../import-job/import-job.types.js';

/** The outcome for one provider user of one job, in the order the provider listed them. */
@Entity('import_results')
export class ImportResultRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jobId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  username!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: ImportOutcome;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  userId!: string | null;

  /** What an update, suspension or reactivation changed (or, in a dry run, would change). */
  @Column({ type: 'simple-json', nullable: true })
  changes!: AttributeChange[] | null;
}
