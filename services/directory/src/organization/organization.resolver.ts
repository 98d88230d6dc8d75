import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DirectoryContext } from '../context.js';
import { Organization } from './organization.entity.js';
import { OrganizationSettingsInput } from './organization.inputs.js';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization)
  organization(@Ctx() context: DirectoryContext): Promise<Organization> {
    return context.services.organizations.get(organizationOf(context));
  }

  @Mutation(() => Organization)
  updateOrganizationSettings(
    @Arg('input', () => OrganizationSettingsInput) input: OrganizationSettingsInput,
    @Ctx() context: DirectoryContext,
  ): Promise<Organization> {
    return context.services.organizations.updateSettings(organizationOf(context), input);
  }

  @FieldResolver(() => Int)
  userCount(@Root() organization: Organization, @Ctx() context: DirectoryContext): Promise<number> {
    return context.services.organizations.userCount(organization.id);
  }
}
