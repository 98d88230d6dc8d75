import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  describeZodIssues,
  DomainError,
  drainSubscriptions,
  formatGraphQLError,
  httpStatusOf,
  IDENTITY_HEADER,
  PUBLIC_LINK_SERVICE,
  verifyIdentity,
  type Identity,
  type InternalErrorBody,
  type Logger,
} from '@uif/runtime';
import { databaseUnreachableCode } from '@uif/database';
import { ZodError } from 'zod';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { SubgraphContext } from './context.js';
import { answersInLines, endLinesInFlight } from './lines.js';
import { serveSubscriptions } from './subscriptions.js';
import { metricsHandler } from '@uif/metrics';

export interface SubgraphServerOptions<Context extends SubgraphContext> {
  name: string;
  host?: string;
  port: number;
  schema: GraphQLSchema;
  internalSecret: string;
  log: Logger;
  /** Adds the service's own members (loaders, services) to the base context of a request. */
  context: (base: SubgraphContext) => Context;
  /** Routes under /internal, for other services only (signed like GraphQL requests). */
  internalRoutes?: (router: Router) => void;
  /**
   * The internal GET routes that serve a public link the gateway forwards (exact paths, or prefixes
   * ending in '/'): the only ones that accept its PUBLIC_LINK_SERVICE identity.
   */
  publicLinkRoutes?: string[];
  /** Throws when the service cannot serve (e.g. its database is gone). */
  readiness: () => Promise<void>;
  /** Largest accepted request body (the internal batch interface carries thousands of users). */
  bodyLimit?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface AuthenticatedRequest extends Request {
  identity?: Identity;
  requestId?: string;
}

/** Whether an internal request is one of the public links the gateway forwards. */
function isPublicLinkRoute(req: Request, routes: string[]): boolean {
  return (
    req.method === 'GET' &&
    routes.some((route) =>
      route.endsWith('/')
        ? req.path.startsWith(route) && !req.path.slice(route.length).includes('/')
        : req.path === route,
    )
  );
}

function requireSignedIdentity(secret: string, log: Logger, internal?: { publicLinkRoutes: string[] }) {
  return (req: AuthenticatedRequest, res: Response, next: NextFunction) => {
    const verified = verifyIdentity(req.header(IDENTITY_HEADER), secret);
    // Internal routes are for our services; an organization member's signed identity is not enough,
    // and the gateway's public-link identity opens the public-link routes alone.
    const refused =
      internal &&
      (verified?.kind !== 'service' ||
        (verified.service === PUBLIC_LINK_SERVICE && !isPublicLinkRoute(req, internal.publicLinkRoutes)));
    const identity = refused ? null : verified;
    req.requestId = req.header('x-request-id') ?? randomUUID();
    if (!identity) {
      log.warn(
        { requestId: req.requestId, path: req.path },
        'refused a request without a valid gateway signature',
      );
      res.status(401).json({
        errors: [
          { message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } },
        ],
      });
      return;
    }
    req.identity = identity;
    next();
  };
}

function mountHealth(app: express.Express, readiness: () => Promise<void>, log: Logger): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await readiness();
      res.json({ status: 'ready' });
    } catch (error) {
      log.warn({ err: error }, 'not ready');
      res.status(503).json({ status: 'unavailable' });
    }
  });
}

/**
 * Internal routes answer JSON errors: a domain error with its code (the caller raises it again), a
 * malformed body as BAD_USER_INPUT, a database out of reach said as such (the caller may retry),
 * anything else masked and logged.
 */
function jsonErrorHandler(log: Logger, service: string) {
  return (error: unknown, req: AuthenticatedRequest, res: Response, _next: NextFunction) => {
    const send = (status: number, body: InternalErrorBody) => {
      // An answer in lines has its head sent already: the failure is its last line.
      if (answersInLines(res)) res.end(`${JSON.stringify(body)}\n`);
      else if (!res.headersSent) res.status(status).json(body);
    };
    if (error instanceof DomainError) {
      send(httpStatusOf(error.code), {
        error: { code: error.code, message: error.message, extensions: error.extensions },
      });
      return;
    }
    if (error instanceof ZodError) {
      send(400, { error: { code: 'BAD_USER_INPUT', message: describeZodIssues(error) } });
      return;
    }
    const unreachable = databaseUnreachableCode(error);
    if (unreachable) {
      log.error(
        { err: error, requestId: req.requestId, path: req.path },
        `the ${service} database is unreachable`,
      );
      send(503, {
        error: {
          code: 'INTERNAL_SERVER_ERROR',
          message: `The ${service}'s database is unreachable (${unreachable}); try again once it is back`,
        },
      });
      return;
    }
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      send(status, { error: { code: 'BAD_USER_INPUT', message: (error as Error).message } });
      return;
    }
    log.error({ err: error, requestId: req.requestId, path: req.path }, 'internal route failed');
    send(500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
  };
}

/**
 * Starts a subgraph: /graphql and /internal behind the gateway's signature, /healthz and /readyz open,
 * and graphql-ws on /graphql when the schema has a Subscription type (see subscriptions.ts).
 */
export async function startSubgraphServer<Context extends SubgraphContext>(
  options: SubgraphServerOptions<Context>,
): Promise<RunningServer> {
  const { log } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  // graphql-ws on /graphql when the schema has subscriptions; stopping Apollo closes its sockets.
  const subscriptions = options.schema.getSubscriptionType()
    ? serveSubscriptions({
        httpServer,
        schema: options.schema,
        internalSecret: options.internalSecret,
        log,
        context: options.context,
      })
    : null;
  const apollo = new ApolloServer<Context>({
    schema: options.schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(subscriptions ? [drainSubscriptions(subscriptions)] : []),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
    formatError: (formatted, error) =>
      formatGraphQLError(formatted, error, (cause) =>
        log.error({ err: cause }, 'unexpected error in a resolver'),
      ),
  });
  await apollo.start();

  mountHealth(app, options.readiness, log);
  // Open like the probes: a subgraph's port is internal, and no label carries user data.
  app.get('/metrics', metricsHandler());
  const guard = requireSignedIdentity(options.internalSecret, log);
  const json = express.json({ limit: options.bodyLimit ?? '50mb' });
  const internal = express.Router();
  options.internalRoutes?.(internal);
  app.use(
    '/internal',
    requireSignedIdentity(options.internalSecret, log, {
      publicLinkRoutes: options.publicLinkRoutes ?? [],
    }),
    json,
    internal,
  );
  app.use(
    '/graphql',
    guard,
    json,
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const { identity, requestId } = req as AuthenticatedRequest;
        const id = requestId ?? randomUUID();
        return options.context({ identity: identity!, requestId: id, log: log.child({ requestId: id }) });
      },
    }),
  );

  app.use(jsonErrorHandler(log, options.name));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  log.info({ url: `${url}/graphql` }, `${options.name} subgraph listening`);
  return {
    url,
    port,
    stop: () => {
      endLinesInFlight(app.locals);
      return apollo.stop();
    },
  };
}
