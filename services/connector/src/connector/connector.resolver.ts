import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { ConnectorContext } from '../context.js';
import { Connector } from './connector.entity.js';

@Resolver(() => Connector)
export class ConnectorResolver {
  @Query(() => [Connector])
  connectors(@Ctx() context: ConnectorContext): Promise<Connector[]> {
    return context.services.connectors.list(organizationOf(context));
  }

  @Query(() => Connector, { nullable: true })
  connector(@Arg('id', () => ID) id: string, @Ctx() context: ConnectorContext): Promise<Connector | null> {
    return context.loaders.connectors.load(id);
  }
}

/** `_entities` for Connector, scoped to the caller's organization. */
export const connectorReferenceResolver = {
  Connector: {
    __resolveReference: (reference: { id: string }, context: ConnectorContext) =>
      context.loaders.connectors.load(reference.id),
  },
};
