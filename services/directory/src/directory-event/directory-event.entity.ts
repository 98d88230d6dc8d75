import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum DirectoryEventType {
  USER_CREATED = 'USER_CREATED',
  USER_UPDATED = 'USER_UPDATED',
  USER_SUSPENDED = 'USER_SUSPENDED',
  USER_REACTIVATED = 'USER_REACTIVATED',
}
registerEnumType(DirectoryEventType, { name: 'DirectoryEventType' });

/** Directory Insights: who did what to which user, and from which application. */
@ObjectType({ description: 'Directory Insights: who did what to which user, and from which application.' })
@Entity('directory_events')
export class DirectoryEvent {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Field(() => DirectoryEventType)
  @Column({ type: 'varchar', length: 32 })
  type!: DirectoryEventType;

  @Field()
  @Column({ type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Field({ description: 'The API key label (or scheduler) that performed the action.' })
  @Column({ type: 'varchar', length: 255 })
  actor!: string;

  @Column({ type: 'varchar', length: 64 })
  userId!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  connectorId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  importJobId!: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Changed attributes: {attribute: {from, to}}.' })
  @Column({ type: 'simple-json', nullable: true })
  changes!: Record<string, { from: unknown; to: unknown }> | null;
}
