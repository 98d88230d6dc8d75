import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum ImportOperation {
  USER_CREATE = 'USER_CREATE',
  USER_UPDATE = 'USER_UPDATE',
}
registerEnumType(ImportOperation, { name: 'ImportOperation' });

export enum ImportTrigger {
  MANUAL = 'MANUAL',
  SCHEDULED = 'SCHEDULED',
}
registerEnumType(ImportTrigger, { name: 'ImportTrigger' });

export enum ImportJobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ImportJobStatus, {
  name: 'ImportJobStatus',
  valuesConfig: { PARTIAL: { description: 'Finished, but some users failed.' } },
});

/** A connector, referenced by id; the connector subgraph resolves its fields. */
@Directive('@key(fields: "id", resolvable: false)')
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

  @Field(() => ImportJobStatus)
  @Column({ type: 'varchar', length: 16 })
  status!: ImportJobStatus;

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

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
