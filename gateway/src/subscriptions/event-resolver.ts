import {
  executeQueryPlan,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
  type ServiceMap,
} from '@apollo/gateway';
import type { Logger } from '@uif/runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { GatewayContext } from '../context.js';
import { SignedDataSource } from '../signed-data-source.js';
import type { PlannedSubscription, SubscriptionPlanner } from './planner.js';
import type { UpstreamEvent } from './upstream.js';

/** executeQueryPlan's request context (its package, @apollo/server-gateway-interface, is not ours to import). */
type GatewayRequestContext = Parameters<typeof executeQueryPlan>[2];
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** executeQueryPlan takes a cache in its request context but never uses it. */
const NO_CACHE: GatewayRequestContext['cache'] = {
  get: async () => undefined,
  set: async () => undefined,
  delete: async () => undefined,
};

/**
 * executeQueryPlan's errors are typed GraphQLError but also hold what a fetch threw, e.g. a
 * subgraph that did not answer: wrapped, so formatting (and masking) treats them like the others.
 */
function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(cause.message, { originalError: cause });
}

/**
 * Stands in for the primary subgraph during one event: the primary fetch (the subscription
 * operation) is answered with the event the subgraph pushed; anything else, e.g. an entity fetch back
 * into the same subgraph, goes to the subgraph as for any query.
 */
class EventDataSource implements GraphQLDataSource<GatewayContext> {
  private answered = false;

  constructor(
    private readonly primaryOperation: string,
    private readonly event: SubgraphResponse,
    private readonly subgraph: GraphQLDataSource<GatewayContext>,
  ) {}

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    if (!this.answered && options.request.query === this.primaryOperation) {
      this.answered = true;
      return Promise.resolve(this.event);
    }
    return this.subgraph.process(options);
  }
}

/**
 * Turns each event of a subscription into the client's result: the event is the primary fetch's
 * answer, and the rest of the plan (fields owned by other subgraphs) runs with the gateway's own
 * executeQueryPlan, so aliases, fragments, @requires and the result shaping are those of queries.
 * Fetches carry the caller's identity, signed by SignedDataSource as on the HTTP path.
 */
export class EventResolver {
  private readonly subgraphs: Record<string, GraphQLDataSource<GatewayContext>>;

  constructor(
    private readonly planner: SubscriptionPlanner,
    internalSecret: string,
    private readonly log: Logger,
  ) {
    this.subgraphs = Object.fromEntries(
      [...planner.subgraphUrls].map(([name, url]) => [name, new SignedDataSource(url, internalSecret)]),
    );
  }

  async resolve(
    subscription: PlannedSubscription,
    event: UpstreamEvent,
    context: GatewayContext,
  ): Promise<ExecutionResult> {
    const { primary } = subscription;
    const primarySubgraph = this.subgraphs[primary.serviceName];
    if (!primarySubgraph) throw new Error(`The supergraph has no subgraph named ${primary.serviceName}`);
    const serviceMap: ServiceMap = {
      ...this.subgraphs,
      [primary.serviceName]: new EventDataSource(
        primary.operation,
        { data: event.data ?? null, ...(event.errors ? { errors: event.errors } : {}) },
        primarySubgraph,
      ),
    };
    const result = await executeQueryPlan(
      subscription.eventPlan,
      serviceMap,
      this.requestContext(subscription, context),
      subscription.operationContext,
      this.planner.supergraphSchema,
      this.planner.apiSchema,
    );
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  }

  /** A fresh request context per event: executeQueryPlan records per-request state in it. */
  private requestContext(subscription: PlannedSubscription, context: GatewayContext): GatewayRequestContext {
    return {
      request: {
        query: subscription.source,
        variables: subscription.variables,
        ...(subscription.operationName ? { operationName: subscription.operationName } : {}),
      },
      context,
      logger: this.log,
      schema: this.planner.schema,
      schemaHash: '' as GatewayRequestContext['schemaHash'],
      cache: NO_CACHE,
      queryHash: subscription.queryHash,
      document: subscription.document,
      source: subscription.source,
      operationName: subscription.operationName ?? null,
      operation: subscription.operation,
      // Must exist: a subgraph error is recorded in metrics.nonFtv1ErrorPaths, and without metrics
      // that write throws and the event's data is lost.
      metrics: {},
      overallCachePolicy: undefined,
    };
  }
}
