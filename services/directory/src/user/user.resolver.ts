import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, FieldResolver, Field, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { PageInfo } from '@uif/subgraph';
import type { DirectoryContext } from '../context.js';
import { Connector, connectorReference, ImportJob, importJobReference } from '../federation/references.js';
import { User } from './user.entity.js';
import { UserFilter } from './user.types.js';

@ObjectType()
export class UserConnection {
  @Field(() => Int)
  totalCount!: number;
  @Field(() => [User])
  nodes!: User[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => UserConnection)
  users(
    @Ctx() context: DirectoryContext,
    @Arg('filter', () => UserFilter, { nullable: true }) filter?: UserFilter,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<UserConnection> {
    return context.services.users.list(organizationOf(context), filter, first, after);
  }

  @Query(() => User, { nullable: true })
  user(@Arg('id', () => ID) id: string, @Ctx() context: DirectoryContext): Promise<User | null> {
    return context.loaders.users.load(id);
  }

  @FieldResolver(() => Connector, {
    nullable: true,
    description: 'The connector the user was first imported from (resolved by the connector subgraph).',
  })
  importedFrom(@Root() user: User): Connector | null {
    return connectorReference(user.importedFromConnectorId);
  }

  @FieldResolver(() => ImportJob, {
    nullable: true,
    description: 'The import job that created the user (resolved by the import subgraph).',
  })
  createdByImport(@Root() user: User): ImportJob | null {
    return importJobReference(user.createdByImportJobId);
  }
}

/** `_entities` for User: batched through the request's loader, scoped to the caller's organization. */
export const userReferenceResolver = {
  User: {
    __resolveReference: (reference: { id: string }, context: DirectoryContext) =>
      context.loaders.users.load(reference.id),
  },
};
