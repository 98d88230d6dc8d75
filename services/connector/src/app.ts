import 'reflect-metadata';
import type { Logger } from '@uif/runtime';
import { buildFederatedSchema, startService, type RunningService } from '@uif/subgraph';
import type { ConnectorConfig } from './config.js';
import { Connector } from './connector/connector.entity.js';
import { connectorReferenceResolver, ConnectorResolver } from './connector/connector.resolver.js';
import { mountConnectorRoutes } from './connector/connector.routes.js';
import { createConnectorContext, createConnectorServices } from './context.js';
import { connectorMigrations } from './migrations/index.js';
import { OAuthState } from './oauth/oauth-state.entity.js';
import { mountOAuthRoutes, OAUTH_CALLBACK_PATH } from './oauth/oauth.routes.js';

export { connectorConfigSchema, type ConnectorConfig } from './config.js';
export { OAUTH_CALLBACK_PATH } from './oauth/oauth.routes.js';

export function startConnector(
  config: ConnectorConfig,
  options: { log?: Logger } = {},
): Promise<RunningService> {
  return startService({
    name: 'connector',
    config: { ...config, port: config.CONNECTOR_PORT },
    ...options,
    entities: [Connector, OAuthState],
    migrations: connectorMigrations,
    schema: () =>
      buildFederatedSchema({
        resolvers: [ConnectorResolver],
        referenceResolvers: connectorReferenceResolver,
      }),
    wire: async (dataSource, log) => {
      const services = createConnectorServices(dataSource, config, log);
      return {
        context: (base) => createConnectorContext(base, services),
        internalRoutes: (router) => {
          mountOAuthRoutes(router, services.oauth, log);
          mountConnectorRoutes(router, services.connectors);
        },
        publicLinkRoutes: [OAUTH_CALLBACK_PATH],
      };
    },
  });
}
