import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType()
@Entity('organizations')
export class Organization {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Field()
  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Field(() => [String], { description: 'Recipients of User Import Complete emails.' })
  @Column({ type: 'simple-json' })
  notificationEmails!: string[];

  @Field(() => Int, { nullable: true, description: 'Maximum number of users; null means unlimited.' })
  @Column({ type: 'int', nullable: true })
  userLicenseLimit!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
