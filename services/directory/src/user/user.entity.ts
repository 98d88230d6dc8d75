import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Address, PasswordStatus, PhoneNumber, UserState } from './user.types.js';

/** A user of the directory: the federation entity `User`, owned here. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A user of the directory (entity, key: id).' })
@Entity('users')
export class User {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Field()
  @Column({ type: 'varchar', length: 255 })
  email!: string;

  @Field()
  @Column({ type: 'varchar', length: 255 })
  username!: string;

  /** Lowercased username: usernames are unique case-insensitively on every database. */
  @Column({ type: 'varchar', length: 255 })
  usernameKey!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  firstname!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  lastname!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  middlename!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  displayname!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  jobTitle!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  department!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  costCenter!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  employeeType!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  employeeIdentifier!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  organization!: string | null;

  @Field(() => [Address])
  @Column({ type: 'simple-json' })
  addresses!: Address[];

  @Field(() => [PhoneNumber])
  @Column({ type: 'simple-json' })
  phoneNumbers!: PhoneNumber[];

  @Field(() => UserState)
  @Column({ type: 'varchar', length: 16 })
  state!: UserState;

  @Field(() => PasswordStatus)
  @Column({ type: 'varchar', length: 16 })
  passwordStatus!: PasswordStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  importedFromConnectorId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  createdByImportJobId!: string | null;

  @Field()
  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Field()
  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
