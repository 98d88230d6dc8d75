import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum UserState {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  STAGED = 'STAGED',
}
registerEnumType(UserState, { name: 'UserState' });

export enum PasswordStatus {
  PENDING = 'PENDING',
  SET = 'SET',
}
registerEnumType(PasswordStatus, { name: 'PasswordStatus' });

@ObjectType()
export class Address {
  @Field({ description: 'work or home' })
  type!: string;
  @Field(() => String, { nullable: true })
  streetAddress?: string | null;
  @Field(() => String, { nullable: true })
  extendedAddress?: string | null;
  @Field(() => String, { nullable: true })
  poBox?: string | null;
  @Field(() => String, { nullable: true })
  locality?: string | null;
  @Field(() => String, { nullable: true })
  region?: string | null;
  @Field(() => String, { nullable: true })
  postalCode?: string | null;
  @Field(() => String, { nullable: true })
  country?: string | null;
}

@ObjectType()
export class PhoneNumber {
  @Field({ description: 'work, home or mobile' })
  type!: string;
  @Field()
  number!: string;
}

@InputType()
export class UserFilter {
  @Field({
    nullable: true,
    description: 'Case-insensitive match on email, username, firstname, lastname or displayname.',
  })
  search?: string;
  @Field(() => UserState, { nullable: true })
  state?: UserState;
  @Field({ nullable: true })
  department?: string;
  @Field(() => ID, { nullable: true })
  importedFromConnectorId?: string;
}
