import { createHash } from 'node:crypto';
import { buildOperationContext } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { checkOperationCost, depthLimitRule } from '../limits/query-limits.js';

export type OperationContext = ReturnType<typeof buildOperationContext>;

/** What a client sends to subscribe (graphql-ws's subscribe payload). */
export interface SubscriptionRequest {
  query: string;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
}

/** A client's subscription, checked and planned: what to open upstream, and how to complete each event. */
export interface PlannedSubscription {
  source: string;
  queryHash: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  /** As the client sent them (JSON): the subgraphs coerce them again, as for queries. */
  variables: Record<string, unknown>;
  operationContext: OperationContext;
  /** The fetch that opens the subscription on the subgraph owning the root field. */
  primary: FetchNode;
  /**
   * The plan run for every event: the primary fetch, which the event answers, then the fetches of
   * fields owned by other subgraphs (absent when the owning subgraph resolves everything).
   */
  eventPlan: QueryPlan;
}

export interface PlannerLimits {
  maxDepth: number;
  maxCost: number;
}

/** graphql-js errors with the `extensions.code` Apollo gives the same mistakes over HTTP. */
function withCode(errors: readonly GraphQLError[], code: string): GraphQLError[] {
  return errors.map(
    (error) =>
      new GraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        originalError: error.originalError,
        extensions: { ...error.extensions, code },
      }),
  );
}

function badRequest(message: string): GraphQLError[] {
  return [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } })];
}

/**
 * Plans subscriptions on the supergraph the gateway serves. @apollo/gateway plans subscriptions but
 * does not execute them, so the gateway keeps its own planner (same supergraph, same default
 * configuration) and executes the plan itself, event by event (see event-resolver.ts).
 */
export class SubscriptionPlanner {
  /** The API schema clients validate against, as graphql-js. */
  readonly schema: GraphQLSchema;
  /** The supergraph as graphql-js, which executeQueryPlan reads types from. */
  readonly supergraphSchema: GraphQLSchema;
  readonly apiSchema: Schema;
  /** Subgraph name → its GraphQL URL, as composed into the supergraph. */
  readonly subgraphUrls: ReadonlyMap<string, string>;
  private readonly planner: QueryPlanner;
  private readonly rules: ValidationRule[];

  constructor(
    supergraphSdl: string,
    private readonly limits: PlannerLimits,
  ) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.subgraphUrls = new Map(supergraph.subgraphsMetadata().map(({ name, url }) => [name, url]));
    this.planner = new QueryPlanner(supergraph);
    // The HTTP path's rules: graphql's own plus the gateway's depth limit.
    this.rules = [...specifiedRules, depthLimitRule(limits.maxDepth)];
  }

  /** The plan of a subscription, or the errors to answer (a client's mistake, never a throw). */
  plan(request: SubscriptionRequest): PlannedSubscription | GraphQLError[] {
    const document = this.parse(request.query);
    if (Array.isArray(document)) return document;
    const validationErrors = validate(this.schema, document, this.rules);
    if (validationErrors.length) return withCode(validationErrors, 'GRAPHQL_VALIDATION_FAILED');
    const operationName = request.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) return badRequest('The document does not name one operation to run');
    if (operation.operation !== 'subscription') {
      return badRequest('Only subscriptions are served over WebSocket: send queries and mutations over HTTP');
    }
    const variables = request.variables ?? {};
    const coercion = getVariableValues(this.schema, operation.variableDefinitions ?? [], variables);
    if (coercion.errors) return withCode(coercion.errors, 'BAD_USER_INPUT');
    try {
      checkOperationCost({
        schema: this.schema,
        document,
        variables,
        operationName,
        maxCost: this.limits.maxCost,
      });
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    const plan = this.planner.buildQueryPlan(
      operationFromDocument(this.apiSchema, document, { operationName, validate: false }),
    );
    // A root field under @include/@skip plans as a Condition around the subscription: not handled.
    if (plan.node?.kind !== 'Subscription') {
      return badRequest('A subscription root field cannot be conditional (@include or @skip)');
    }
    const { primary, rest } = plan.node;
    return {
      source: request.query,
      queryHash: createHash('sha256').update(request.query).digest('hex'),
      document,
      operation,
      operationName,
      variables,
      operationContext: buildOperationContext({
        schema: this.schema,
        operationDocument: document,
        ...(operationName ? { operationName } : {}),
      }),
      primary,
      eventPlan: { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary },
    };
  }

  private parse(query: string): DocumentNode | GraphQLError[] {
    try {
      return parse(query);
    } catch (error) {
      if (error instanceof GraphQLError) return withCode([error], 'GRAPHQL_PARSE_FAILED');
      throw error;
    }
  }
}
