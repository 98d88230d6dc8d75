import { entityLoader, serviceContext, type ServiceContext, type SubgraphContext } from '@uif/subgraph';
import { In, type DataSource } from 'typeorm';
import { Connector } from './connector/connector.entity.js';
import { ConnectorService } from './connector/connector.service.js';

export function createConnectorServices(dataSource: DataSource) {
  return { dataSource, connectors: new ConnectorService(dataSource) };
}
export type ConnectorServices = ReturnType<typeof createConnectorServices>;

function connectorLoaders(dataSource: DataSource, organizationId: string) {
  return {
    connectors: entityLoader((ids) =>
      dataSource.getRepository(Connector).findBy({ organizationId, id: In(ids) }),
    ),
  };
}
export type ConnectorContext = ServiceContext<ConnectorServices, ReturnType<typeof connectorLoaders>>;

export function createConnectorContext(base: SubgraphContext, services: ConnectorServices): ConnectorContext {
  return serviceContext(base, services, (organizationId) =>
    connectorLoaders(services.dataSource, organizationId),
  );
}
