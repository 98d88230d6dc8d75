import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum ImportHoldKind {
  HELD_BY_BRAKE = 'HELD_BY_BRAKE',
  APPROVED = 'APPROVED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ImportHoldKind, {
  name: 'ImportHoldKind',
  description:
    'HELD_BY_BRAKE: the planned suspensions tripped the brake; APPROVED or CANCELLED: an admin decided.',
});

/** The directory's audit trail of imports its brakes held: who started each, who decided, when. */
@ObjectType({
  description:
    "Directory Insights for imports: a job the connector's brake held before it changed anything, and who approved or cancelled its plan.",
})
@Entity('import_holds')
export class ImportHold {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Column({ type: 'varchar', length: 64 })
  connectorId!: string;

  @Column({ type: 'varchar', length: 64 })
  importJobId!: string;

  @Field(() => ImportHoldKind)
  @Column({ type: 'varchar', length: 16 })
  kind!: ImportHoldKind;

  @Field({
    description: 'Who: the API key label (or scheduler) that started, approved or cancelled the import.',
  })
  @Column({ type: 'varchar', length: 255 })
  actor!: string;

  @Field()
  @Column({ type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Field(() => Int)
  @Column({ type: 'int' })
  plannedSuspensions!: number;

  @Field(() => Int, { description: "The connector's active users when the brake tripped." })
  @Column({ type: 'int' })
  activeUsers!: number;
}
