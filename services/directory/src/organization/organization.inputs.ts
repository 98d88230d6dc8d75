import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class OrganizationSettingsInput {
  @Field({ nullable: true })
  name?: string;

  @Field(() => [String], { nullable: true })
  notificationEmails?: string[];

  @Field(() => Int, { nullable: true })
  userLicenseLimit?: number | null;
}
