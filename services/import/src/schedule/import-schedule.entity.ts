import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType()
@InputType('ImportScheduleOperationsInput')
export class ImportScheduleOperations {
  @Field()
  userCreate!: boolean;
  @Field()
  userUpdate!: boolean;
}

/** A connector's hourly import: at a minute fixed when the schedule is first made. */
@ObjectType()
@Entity('import_schedules')
export class ImportSchedule {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  connectorId!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Field()
  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Field()
  @Column({ type: 'boolean' })
  allowUserReactivation!: boolean;

  @Field(() => ImportScheduleOperations)
  @Column({ type: 'simple-json' })
  operations!: ImportScheduleOperations;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 2048, nullable: true })
  query!: string | null;

  @Field()
  @Column({ type: 'boolean' })
  sendEmail!: boolean;

  @Field()
  @Column({ type: 'boolean', default: false })
  suspendMissingUsers!: boolean;

  @Field(() => Int, {
    description: 'Runs every hour at this minute (UTC), fixed when the schedule is created.',
  })
  @Column({ type: 'int' })
  minuteOfHour!: number;

  /** When the next tick is due (null while disabled); a tick claims it by moving it on. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  nextRunAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  lastJobId!: string | null;

  @Field(() => Int, { description: 'Ticks skipped because the previous run was still going.' })
  @Column({ type: 'int' })
  skippedRuns!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When a tick was last skipped because the previous run was still going.',
  })
  @Column({ type: 'datetime', precision: 3, nullable: true })
  lastSkippedAt!: Date | null;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
