import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])';

/** `__resolveReference` per entity type name. */
export type ReferenceResolvers = GraphQLResolverMap<unknown>;

export interface FederatedSchemaOptions {
  resolvers: BuildSchemaOptions['resolvers'];
  orphanedTypes?: BuildSchemaOptions['orphanedTypes'];
  referenceResolvers?: ReferenceResolvers;
  /**
   * Where @Subscription({ topics }) resolvers listen; type-graphql refuses a schema with a
   * subscription and no PubSub (MissingPubSubError). See `createInProcessPubSub`.
   */
  pubSub?: BuildSchemaOptions['pubSub'];
}

/** The contract's scalars, shared by every subgraph so the composed schema has one DateTime and one JSON. */
const contractScalars: BuildSchemaOptions['scalarsMap'] = [{ type: Date, scalar: GraphQLDateTime }];

/**
 * type-graphql classes → a Federation 2 subgraph schema: the SDL with its directives, the federation
 * @link, and the resolvers of type-graphql plus the entities' `__resolveReference`. Subscription
 * fields keep their `subscribe` functions, so `startSubgraphServer` can serve them over graphql-ws.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    ...(options.orphanedTypes ? { orphanedTypes: options.orphanedTypes } : {}),
    ...(options.pubSub ? { pubSub: options.pubSub } : {}),
    scalarsMap: contractScalars,
    validate: false,
    skipCheck: true,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, referenceResolver] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(referenceResolver as object) };
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
}
