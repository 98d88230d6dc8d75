import { buildFederatedSchema } from '@uif/subgraph';
import type { GraphQLSchema } from 'graphql';
import { DirectoryEventResolver } from './directory-event/directory-event.resolver.js';
import { ImportHoldResolver } from './import-hold/import-hold.resolver.js';
import { OrganizationResolver } from './organization/organization.resolver.js';
import { userReferenceResolver, UserResolver } from './user/user.resolver.js';

export function buildDirectorySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [OrganizationResolver, UserResolver, DirectoryEventResolver, ImportHoldResolver],
    referenceResolvers: userReferenceResolver,
  });
}
