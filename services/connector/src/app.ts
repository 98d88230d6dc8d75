import 'reflect-metadata';
import type { Logger } from '@uif/runtime';
import { buildFederatedSchema, startService, type RunningService } from '@uif/subgraph';
import type { ConnectorConfig } from './config.js';
import { Connector } from './connector/connector.entity.js';
import { connectorReferenceResolver, ConnectorResolver } from './connector/connector.resolver.js';
import { createConnectorContext, createConnectorServices } from './context.js';
import { connectorMigrations } from './migrations/index.js';

export { connectorConfigSchema, type ConnectorConfig } from './config.js';

export function startConnector(
  config: ConnectorConfig,
  options: { log?: Logger } = {},
): Promise<RunningService> {
  return startService({
    name: 'connector',
    config: { ...config, port: config.CONNECTOR_PORT },
    ...options,
    entities: [Connector],
    migrations: connectorMigrations,
    schema: () =>
      buildFederatedSchema({
        resolvers: [ConnectorResolver],
        referenceResolvers: connectorReferenceResolver,
      }),
    wire: async (dataSource) => {
      const services = createConnectorServices(dataSource);
      return { context: (base) => createConnectorContext(base, services) };
    },
  });
}
