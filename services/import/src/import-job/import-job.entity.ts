import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  BrakeTrip,
  ImportCounts,
  ImportJobStatus,
  ImportOperation,
  ImportPhase,
  ImportTrigger,
  type Counts,
} from './import-job.types.js';

export { ImportJobStatus, ImportOperation, ImportTrigger };

export const FINISHED_STATUSES = [
  ImportJobStatus.SUCCEEDED,
  ImportJobStatus.PARTIAL,
  ImportJobStatus.FAILED,
  ImportJobStatus.CANCELLED,
];

/** A connector, referenced by id; the connector subgraph resolves its fields. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Connector {
  @Field(() => ID)
  id!: string;
}

/** One run of an import: the federation entity `ImportJob`, owned here. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'One run of an import (entity, key: id).' })
@Entity('import_jobs')
export class ImportJob {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Column({ type: 'varchar', length: 64 })
  connectorId!: string;

  @Field(() => ImportTrigger)
  @Column({ type: 'varchar', length: 16 })
  trigger!: ImportTrigger;

  @Field(() => [ImportOperation])
  @Column({ type: 'simple-json' })
  operations!: ImportOperation[];

  @Field()
  @Column({ type: 'boolean' })
  allowUserReactivation!: boolean;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 2048, nullable: true })
  query!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  selectedExternalIds!: string[] | null;

  /** Decides everything and changes nothing: no user, link, event, email or schedule state. */
  @Field()
  @Column({ type: 'boolean', default: false })
  dryRun!: boolean;

  /** Users of the connector that a complete listing no longer has are suspended. */
  @Field()
  @Column({ type: 'boolean', default: false })
  suspendMissingUsers!: boolean;

  /** Whether the User Import Complete email goes out: always for manual imports, per schedule otherwise. */
  @Column({ type: 'boolean' })
  sendEmail!: boolean;

  @Field(() => ImportJobStatus)
  @Column({ type: 'varchar', length: 32 })
  status!: ImportJobStatus;

  @Column({ type: 'varchar', length: 16 })
  phase!: ImportPhase;

  @Field({ description: "The API key label, or 'scheduler'." })
  @Column({ type: 'varchar', length: 255 })
  startedBy!: string;

  @Field()
  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', precision: 3, nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', precision: 3, nullable: true })
  finishedAt!: Date | null;

  /** The provider's total, when it gives one; the number read once reading is done. */
  @Column({ type: 'int', nullable: true })
  total!: number | null;

  /** Users with a final outcome so far. */
  @Column({ type: 'int' })
  processed!: number;

  @Field(() => ImportCounts)
  @Column({ type: 'simple-json' })
  counts!: Counts;

  @Field(() => [String], {
    description:
      "What the provider's listing said along the way, and why no one was suspended for being missing.",
  })
  @Column({ type: 'simple-json' })
  warnings!: string[];

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  cancelRequestedAt!: Date | null;

  @Field(() => BrakeTrip, {
    nullable: true,
    description: 'Why the job awaits approval (or awaited it); null when the brake never tripped.',
  })
  @Column({ type: 'simple-json', nullable: true, transformer: { to: (v: unknown) => v, from: reviveTrip } })
  brakeTrip!: BrakeTrip | null;

  @Field(() => String, {
    nullable: true,
    description: 'The API key label that approved the plan, once approved.',
  })
  @Column({ type: 'varchar', length: 255, nullable: true })
  approvedBy!: string | null;

  /** The worker's lease: a running job whose heartbeat stops is taken over. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  heartbeatAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  workerId!: string | null;
}

/** A stored trip's time comes back from JSON as text. */
function reviveTrip(stored: BrakeTrip | null): BrakeTrip | null {
  return stored ? { ...stored, at: new Date(stored.at) } : null;
}
