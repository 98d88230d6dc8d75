import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { REVOKED_API_KEYS_PATH } from '@uif/directory-client';
import { createLogger, DomainError, drainSubscriptions, formatGraphQLError, type Logger } from '@uif/runtime';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { Authenticator } from './auth/authenticator.js';
import { revocationBus, revokedKeysRoute } from './auth/revocations.js';
import { subgraphList, type GatewayConfig } from './config.js';
import { consoleRoutes } from './console/console.js';
import type { GatewayContext } from './context.js';
import { EXPLORER_ASSET_PATH, explorerAssets, explorerPage } from './explorer/explorer.js';
import { providerCallsPlugin } from './limits/provider-calls.js';
import { costLimitPlugin, depthLimitRule } from './limits/query-limits.js';
import { rateLimit } from './limits/rate-limit.js';
import { fixedPath, forwardGet, paramPath } from './forward.js';
import { SignedDataSource } from './signed-data-source.js';
import { serveSubscriptions } from './subscriptions/server.js';
import { composeSupergraph } from './supergraph/compose.js';
import { internalUrl } from './internal-url.js';
import { metricsHandler } from '@uif/metrics';
import { REST_BASE_PATH, restApi } from './rest/router.js';

export { gatewayConfigSchema, type GatewayConfig } from './config.js';
export { CompositionError } from './supergraph/compose.js';

export interface RunningGateway {
  url: string;
  port: number;
  supergraphSdl: string;
  stop(): Promise<void>;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Last in line: a request refused before Apollo sees it (a body too large, malformed JSON) answers
 * as a GraphQL error, never as express' HTML page with its stack trace; anything else is masked.
 */
function graphqlErrorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    const refused = status >= 400 && status < 500;
    if (!refused) log.error({ err: error, path: req.path }, 'unexpected gateway error');
    res.status(refused ? status : 500).json({
      errors: [
        refused
          ? { message: (error as Error).message, extensions: { code: 'BAD_REQUEST' } }
          : { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
    });
  };
}

function wantsExplorer(req: Request): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !req.query.query;
}

async function readiness(config: GatewayConfig): Promise<string[]> {
  const answers = await Promise.all(
    subgraphList(config).map(async ({ name, url }) => {
      const response = await fetch(new URL('/readyz', url)).catch(() => null);
      return response?.ok ? null : name;
    }),
  );
  return answers.filter((name): name is string => name !== null);
}

export async function startGateway(
  config: GatewayConfig,
  options: { log?: Logger } = {},
): Promise<RunningGateway> {
  const log = options.log ?? createLogger({ name: 'gateway', level: config.LOG_LEVEL });
  const supergraphSdl = await composeSupergraph(
    subgraphList(config),
    config.INTERNAL_SECRET,
    config.SUBGRAPH_WAIT_SECONDS,
    log,
  );
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) => new SignedDataSource(url!, config.INTERNAL_SECRET),
  });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const authenticator = new Authenticator(
    config.DIRECTORY_URL,
    config.INTERNAL_SECRET,
    config.AUTH_CACHE_SECONDS,
  );
  const requestLimit = rateLimit(config.RATE_LIMIT_PER_MINUTE, config.REDIS_URL, log);
  // @apollo/gateway does not execute subscriptions: graphql-ws on /graphql serves them beside it.
  const subscriptions = serveSubscriptions({
    httpServer,
    supergraphSdl,
    authenticator,
    internalSecret: config.INTERNAL_SECRET,
    log,
    maxDepth: config.MAX_QUERY_DEPTH,
    maxCost: config.MAX_QUERY_COST,
    recheckSeconds: config.AUTH_CACHE_SECONDS,
    rateLimit: requestLimit.consume,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.INTROSPECTION,
    validationRules: [depthLimitRule(config.MAX_QUERY_DEPTH)],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      drainSubscriptions(subscriptions),
      ApolloServerPluginLandingPageDisabled(),
      costLimitPlugin(config.MAX_QUERY_COST),
      requestLimit.plugin,
      providerCallsPlugin(config.PROVIDER_CALLS_AT_ONCE),
    ],
    formatError: (formatted, error) =>
      formatGraphQLError(formatted, error, (cause) => log.error({ err: cause }, 'unexpected gateway error')),
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const down = await readiness(config);
    res
      .status(down.length ? 503 : 200)
      .json(down.length ? { status: 'unavailable', down } : { status: 'ready' });
  });
  const revocations = revocationBus(authenticator, config.REDIS_URL, log);
  app.post(REVOKED_API_KEYS_PATH, revokedKeysRoute(revocations, config.INTERNAL_SECRET));
  if (config.METRICS) app.get('/metrics', metricsHandler());
  app.get(
    '/oauth/callback',
    forwardGet(config.CONNECTOR_URL, fixedPath('/oauth/callback'), config.INTERNAL_SECRET, log),
  );
  app.get(
    '/import-results/:token',
    forwardGet(config.IMPORT_URL, paramPath('/import-results', 'token'), config.INTERNAL_SECRET, log),
  );
  app.use(
    REST_BASE_PATH,
    restApi({
      graphqlUrl: () => `${internalUrl(config.HOST, httpServer)}/graphql`,
      publicUrl: config.PUBLIC_URL,
      authenticate: (apiKey, organizationId) => authenticator.authenticate(apiKey, organizationId),
      log,
    }),
  );
  app.use(consoleRoutes(log));
  if (config.EXPLORER) {
    app.use(EXPLORER_ASSET_PATH, explorerAssets());
    app.get('/graphql', (req, res, next) =>
      wantsExplorer(req) ? res.type('html').send(explorerPage()) : next(),
    );
  }
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = header(req, 'x-request-id') ?? randomUUID();
        try {
          const identity = await authenticator.authenticate(
            header(req, 'x-api-key'),
            header(req, 'x-org-id'),
          );
          return { identity, requestId };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          log.info({ requestId, orgId: header(req, 'x-org-id') }, 'refused an unauthenticated request');
          throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
        }
      },
    }),
  );
  app.use(graphqlErrorHandler(log));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  log.info({ url: `${url}/graphql` }, 'gateway listening');
  return {
    url,
    port,
    supergraphSdl,
    stop: async () => {
      await apollo.stop();
      await Promise.all([requestLimit.close(), revocations.close()]);
    },
  };
}
