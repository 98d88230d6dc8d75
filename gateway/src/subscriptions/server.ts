import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import {
  closeWithGrace,
  DomainError,
  formatGraphQLError,
  REQUEST_ID_EXTENSION,
  SUBSCRIPTION_PATH,
  type Logger,
} from '@uif/runtime';
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator, MemberIdentity } from '../auth/authenticator.js';
import type { GatewayContext } from '../context.js';
import { EventResolver } from './event-resolver.js';
import { EventStream } from './event-stream.js';
import { SubscriptionPlanner, type PlannedSubscription } from './planner.js';
import { UpstreamConnections } from './upstream.js';

const MAX_BUFFERED_EVENTS = 1_000;
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Subscriptions one socket may hold at once: each holds an upstream subscription and a buffer. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;
/** graphql-ws's close code for a connection whose credentials are refused. */
const FORBIDDEN = 4403;

export interface GatewaySubscriptionOptions {
  httpServer: Server;
  /** The supergraph the gateway serves queries from. */
  supergraphSdl: string;
  authenticator: Authenticator;
  internalSecret: string;
  log: Logger;
  maxDepth: number;
  maxCost: number;
  /** How often an open socket's API key is checked again (AUTH_CACHE_SECONDS). */
  recheckSeconds: number;
  /** Counts a subscription against its API key's rate limit; throws a GraphQLError past it. */
  rateLimit(apiKeyId: string): Promise<void>;
}

export interface GatewaySubscriptionServer {
  /** Closes every client socket (their subscriptions complete upstream) and stops accepting new ones. */
  close(): Promise<void>;
}

/** What a client connection carries once its connection_init was accepted. */
interface ConnectionExtra extends Record<PropertyKey, unknown> {
  identity: MemberIdentity;
  upstream: UpstreamConnections;
  /** The connection_init credentials, checked again on each subscribe and periodically. */
  params: Readonly<Record<string, unknown>> | undefined;
  recheck: NodeJS.Timeout;
}

/**
 * One accepted subscribe message, handed from graphql-ws's `onSubscribe` (checks and planning) to
 * its `subscribe` (opening upstream) as the execution's context value.
 */
class SubscriptionOperation {
  constructor(
    readonly planned: PlannedSubscription,
    readonly upstream: UpstreamConnections,
    readonly context: Required<GatewayContext>,
    /** Logs with the request id and organization, so a masked error can be traced. */
    readonly log: Logger,
  ) {}
}

/** A connection_init value the client sent as a string (anything else counts as missing). */
function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function internalError(error: unknown): GraphQLError {
  return new GraphQLError('Internal server error', {
    originalError: error instanceof Error ? error : new Error(String(error)),
  });
}

/** Masks errors exactly like the HTTP path's formatError, logging what was masked. */
function formatErrors(errors: readonly GraphQLError[], log: Logger): GraphQLFormattedError[] {
  return errors.map((error) =>
    formatGraphQLError(error.toJSON(), error, (cause) =>
      log.error({ err: cause }, 'unexpected error in a subscription'),
    ),
  );
}

/**
 * GraphQL subscriptions through the gateway, which @apollo/gateway does not execute: graphql-ws on
 * the gateway's HTTP server at /graphql. A connection authenticates once, with
 * `{"x-api-key": "...", "x-org-id": "..."}` as its connection_init payload (else it is closed with
 * 4403). Each subscription is planned on the supergraph; its primary fetch is opened over graphql-ws
 * on the subgraph owning the root field, as the caller, and every event is completed with the fields
 * other subgraphs own before it reaches the client.
 */
export function serveSubscriptions(options: GatewaySubscriptionOptions): GatewaySubscriptionServer {
  const { log, authenticator } = options;
  const planner = new SubscriptionPlanner(options.supergraphSdl, {
    maxDepth: options.maxDepth,
    maxCost: options.maxCost,
  });
  const events = new EventResolver(planner, options.internalSecret, log);

  /** The caller, or false to refuse the connection (graphql-ws closes it with 4403). */
  async function authenticate(params: Readonly<Record<string, unknown>> | undefined) {
    const organizationId = stringParam(params?.['x-org-id']);
    try {
      return await authenticator.authenticate(stringParam(params?.['x-api-key']), organizationId);
    } catch (error) {
      if (error instanceof DomainError) {
        log.info({ orgId: organizationId }, 'refused an unauthenticated subscription connection');
        return false;
      }
      log.error({ err: error }, 'could not authenticate a subscription connection');
      // Throwing closes the socket with 4500 and this reason (the directory's answer stays in the log).
      throw new Error('The API key could not be checked');
    }
  }

  /** Checks and plans a subscribe message: execution arguments, or the errors to answer. */
  function prepare(
    extra: Partial<ConnectionExtra>,
    payload: SubscribePayload,
  ): ExecutionArgs | GraphQLError[] {
    const { identity, upstream } = extra;
    if (!identity || !upstream) return [new GraphQLError('The connection is not authenticated')];
    const planned = planner.plan(payload);
    if (Array.isArray(planned)) return planned;
    const requestId = randomUUID();
    return {
      schema: planner.schema,
      document: planned.document,
      operationName: planned.operationName,
      variableValues: planned.variables,
      contextValue: new SubscriptionOperation(
        planned,
        upstream,
        { identity, requestId },
        log.child({ requestId, orgId: identity.organizationId, subgraph: planned.primary.serviceName }),
      ),
    };
  }

  /** Opens the primary fetch upstream; the stream resolves the rest of the plan for every event. */
  function open(operation: SubscriptionOperation): EventStream {
    const { planned, upstream, context, log: eventLog } = operation;
    const { primary } = planned;
    eventLog.debug('subscription opened');
    const variables = Object.fromEntries(
      (primary.variableUsages ?? [])
        .filter((name) => planned.variables[name] !== undefined)
        .map((name) => [name, planned.variables[name]]),
    );
    return new EventStream({
      open: (sink) => {
        const unsubscribe = upstream.subscribe(
          primary.serviceName,
          {
            query: primary.operation,
            variables,
            ...(primary.operationName ? { operationName: primary.operationName } : {}),
            extensions: { [REQUEST_ID_EXTENSION]: context.requestId },
          },
          sink,
        );
        return () => {
          eventLog.debug('subscription closed');
          unsubscribe();
        };
      },
      resolve: async (event) => {
        try {
          return await events.resolve(planned, event, context);
        } catch (error) {
          // One event failing to resolve must not end the subscription or close the socket.
          return { errors: [internalError(error)] };
        }
      },
      maxBufferedEvents: MAX_BUFFERED_EVENTS,
    });
  }

  /** The authenticated sockets, so a revoked key's can be closed at once. */
  const connections = new Set<ConnectionExtra & Extra>();
  const forbid = (connection: Extra) =>
    connection.socket.close(FORBIDDEN, 'Forbidden: the API key is not valid');
  authenticator.onRevoked((apiKeyId) => {
    for (const connection of connections) if (connection.identity.apiKeyId === apiKeyId) forbid(connection);
  });

  /** Whether the socket's key still holds; a refused one closes the socket (4403). */
  async function stillValid(connection: ConnectionExtra & Extra): Promise<boolean> {
    try {
      if (await authenticate(connection.params)) return true;
    } catch {
      return true; // The directory did not answer: the key was not refused, the next check decides.
    }
    forbid(connection);
    return false;
  }

  /** The rate limit's refusal as an answer to the subscribe message (throwing closes the socket). */
  async function refusedByRateLimit(apiKeyId: string): Promise<GraphQLError | null> {
    try {
      await options.rateLimit(apiKeyId);
      return null;
    } catch (error) {
      if (error instanceof GraphQLError) return error;
      throw error;
    }
  }

  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: SUBSCRIPTION_PATH,
    // The HTTP path's body limit: no message a client sends needs more.
    maxPayload: MAX_MESSAGE_BYTES,
  });
  // Anything thrown from these callbacks closes the whole socket (4500): errors are returned instead.
  const cleanup = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const identity = await authenticate(ctx.connectionParams);
        if (!identity) return false;
        const connection = Object.assign(ctx.extra, {
          identity,
          params: ctx.connectionParams,
          upstream: new UpstreamConnections(planner.subgraphUrls, identity, options.internalSecret),
          recheck: setInterval(
            () => void stillValid(connection),
            Math.max(options.recheckSeconds, 1) * 1000,
          ).unref(),
        });
        connections.add(connection);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        try {
          const connection = ctx.extra as ConnectionExtra & Extra;
          if (!(await stillValid(connection))) {
            return [
              new GraphQLError('The API key is not valid', { extensions: { code: 'UNAUTHENTICATED' } }),
            ];
          }
          const limited = await refusedByRateLimit(connection.identity.apiKeyId);
          if (limited) return [limited];
          // graphql-ws has already counted this one in.
          if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_SOCKET) {
            return [
              new GraphQLError(
                `A connection may hold at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions at once: complete one first`,
                { extensions: { code: 'BAD_REQUEST' } },
              ),
            ];
          }
          return prepare(ctx.extra, payload);
        } catch (error) {
          return [internalError(error)];
        }
      },
      subscribe: (args): ExecutionResult | EventStream => {
        if (!(args.contextValue instanceof SubscriptionOperation)) {
          return { errors: [internalError(new Error('A subscription arrived without its plan'))] };
        }
        try {
          return open(args.contextValue);
        } catch (error) {
          return { errors: [internalError(error)] };
        }
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        if (!result.errors) return undefined;
        const operationLog = args.contextValue instanceof SubscriptionOperation ? args.contextValue.log : log;
        return { ...result, errors: formatErrors(result.errors, operationLog) };
      },
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors, log),
      // graphql-ws has returned every subscription of the connection by now: close its upstreams.
      onClose: async (ctx) => {
        clearInterval(ctx.extra.recheck);
        connections.delete(ctx.extra as ConnectionExtra & Extra);
        await ctx.extra.upstream?.dispose();
      },
    },
    wsServer,
  );

  return { close: closeWithGrace(wsServer, cleanup) };
}
