import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { DirectoryContext } from '../context.js';
import { Connector, connectorReference, ImportJob, importJobReference } from '../federation/references.js';
import { User } from '../user/user.entity.js';
import { DirectoryEvent } from './directory-event.entity.js';

@Resolver(() => DirectoryEvent)
export class DirectoryEventResolver {
  @Query(() => [DirectoryEvent])
  directoryEvents(
    @Ctx() context: DirectoryContext,
    @Arg('userId', () => ID, { nullable: true }) userId?: string,
    @Arg('connectorId', () => ID, { nullable: true }) connectorId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
  ): Promise<DirectoryEvent[]> {
    return context.services.events.list(organizationOf(context), { userId, connectorId }, first);
  }

  @FieldResolver(() => User)
  async user(@Root() event: DirectoryEvent, @Ctx() context: DirectoryContext): Promise<User> {
    const user = await context.loaders.users.load(event.userId);
    if (!user) throw new Error(`Directory event ${event.id} names user ${event.userId}, who does not exist`);
    return user;
  }

  @FieldResolver(() => Connector, { nullable: true })
  connector(@Root() event: DirectoryEvent): Connector | null {
    return connectorReference(event.connectorId);
  }

  @FieldResolver(() => ImportJob, { nullable: true })
  importJob(@Root() event: DirectoryEvent): ImportJob | null {
    return importJobReference(event.importJobId);
  }
}
