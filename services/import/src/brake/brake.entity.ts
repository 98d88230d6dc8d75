import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The connector's brake on mass suspensions; a connector without a row has the default one. */
@ObjectType({
  description:
    "The connector's brake on mass suspensions: an import planning more stops before it changes anything.",
})
@Entity('import_brakes')
export class ImportBrake {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  connectorId!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Field()
  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Trips when more users than this would be suspended; null: no count limit.',
  })
  @Column({ type: 'int', nullable: true })
  maxSuspensions!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Trips when more than this percent of the connector's active users would be suspended (counted once it has 100 or more); null: no percent limit.",
  })
  @Column({ type: 'double', nullable: true })
  maxSuspensionPercent!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

@InputType()
export class ImportBrakeInput {
  @Field()
  enabled!: boolean;
  @Field(() => Int, { nullable: true })
  maxSuspensions?: number | null;
  @Field(() => Float, { nullable: true })
  maxSuspensionPercent?: number | null;
}
