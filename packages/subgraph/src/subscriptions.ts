import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createPubSub } from '@graphql-yoga/subscription';
import {
  closeWithGrace,
  formatGraphQLError,
  IDENTITY_HEADER,
  REQUEST_ID_EXTENSION,
  SUBSCRIPTION_PATH,
  verifyIdentity,
  type Identity,
  type Logger,
} from '@uif/runtime';
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { PubSub } from 'type-graphql';
import { WebSocketServer } from 'ws';
import type { SubgraphContext } from './context.js';

/**
 * The PubSub type-graphql's @Subscription({ topics }) reads from, in this process only: a service
 * publishes with `pubSub.publish(topic, topicId, payload)` on the same instance it gave
 * `buildFederatedSchema`. Several replicas would need a shared event target (e.g. Redis).
 */
export function createInProcessPubSub(): PubSub {
  return createPubSub();
}

export interface SubscriptionServerOptions<Context extends SubgraphContext> {
  httpServer: Server;
  schema: GraphQLSchema;
  internalSecret: string;
  log: Logger;
  /** The same context factory as HTTP requests use, so resolvers cannot tell the transports apart. */
  context: (base: SubgraphContext) => Context;
}

export interface SubscriptionServer {
  /** Closes every socket (their subscriptions return) and stops accepting new ones. */
  close(): Promise<void>;
}

/** What a connection carries once its connection_init was accepted. */
interface ConnectionExtra extends Record<PropertyKey, unknown> {
  identity: Identity;
}

/** The identity the gateway signed into connection_init, or null when it is missing, forged or expired. */
function identityOf(connectionParams: Readonly<Record<string, unknown>> | undefined, secret: string) {
  const signed = connectionParams?.[IDENTITY_HEADER];
  return verifyIdentity(typeof signed === 'string' ? signed : undefined, secret);
}

function requestIdOf(extensions: Readonly<Record<string, unknown>> | null | undefined): string {
  const requestId = extensions?.[REQUEST_ID_EXTENSION];
  return typeof requestId === 'string' && requestId ? requestId : randomUUID();
}

/** Masks errors exactly like the HTTP transport's formatError, logging what was masked. */
function errorFormatter(log: Logger) {
  return (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) =>
      formatGraphQLError(error.toJSON(), error, (cause) =>
        log.error({ err: cause }, 'unexpected error in a subscription'),
      ),
    );
}

/**
 * graphql-ws on the subgraph's HTTP server at /graphql. A connection must present the gateway's
 * signed identity in its connection_init payload (`{"x-uif-identity": "..."}`), or it is closed with
 * 4403. The signature expires after 60 s and is checked when the connection opens only: a
 * subscription may then run for as long as the gateway keeps it.
 */
export function serveSubscriptions<Context extends SubgraphContext>(
  options: SubscriptionServerOptions<Context>,
): SubscriptionServer {
  const { log } = options;
  const formatErrors = errorFormatter(log);
  const wsServer = new WebSocketServer({ server: options.httpServer, path: SUBSCRIPTION_PATH });
  const cleanup = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema: options.schema,
      onConnect: (ctx) => {
        const identity = identityOf(ctx.connectionParams, options.internalSecret);
        if (!identity) {
          log.warn('refused a subscription connection without a valid gateway signature');
          return false;
        }
        ctx.extra.identity = identity;
        return true;
      },
      context: (ctx, _id, payload) => {
        const { identity } = ctx.extra;
        // onConnect refuses connections without one, and graphql-ws runs no operation before it.
        if (!identity) throw new Error('A subscription ran on an unauthenticated connection');
        const requestId = requestIdOf(payload.extensions);
        return options.context({ identity, requestId, log: log.child({ requestId }) });
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatErrors(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
    },
    wsServer,
  );
  return { close: closeWithGrace(wsServer, cleanup) };
}
