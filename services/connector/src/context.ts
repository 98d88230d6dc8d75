import type { Logger } from '@uif/runtime';
import { DEFAULT_HTTP_POLICY } from '@uif/provider-client';
import { entityLoader, serviceContext, type ServiceContext, type SubgraphContext } from '@uif/subgraph';
import { In, type DataSource } from 'typeorm';
import type { ConnectorConfig } from './config.js';
import { Connector } from './connector/connector.entity.js';
import { ConnectorService } from './connector/connector.service.js';
import { ImportEvents } from './connector/import-events.js';
import { ClientCredentialsTokens } from './oauth/client-credentials.js';
import { OAuthService } from './oauth/oauth.service.js';
import { ConnectionService } from './provider/connection.service.js';
import { ProviderAccess, TargetGuard } from './provider/provider-access.js';
import { loadOrCreateSecretKey, parseSecretKey, SecretBox } from './secrets/secret-box.js';

export function createConnectorServices(dataSource: DataSource, config: ConnectorConfig, log: Logger) {
  const secrets = new SecretBox(
    config.SECRET_KEY ? parseSecretKey(config.SECRET_KEY) : loadOrCreateSecretKey(config.DATA_DIR),
  );
  const guard = new TargetGuard({
    ...DEFAULT_HTTP_POLICY,
    allowPrivateNetwork: config.ALLOW_PRIVATE_NETWORK_TARGETS,
    privateAllowlist: config.PRIVATE_TARGET_ALLOWLIST,
    timeoutMs: config.PROVIDER_TIMEOUT_SECONDS * 1000,
    retries: config.PROVIDER_RETRIES,
    retryBaseDelayMs: config.PROVIDER_RETRY_BASE_MS,
  });
  const oauth = new OAuthService(
    dataSource,
    secrets,
    guard,
    { publicUrl: config.PUBLIC_URL, allowInsecureHttp: config.ALLOW_PRIVATE_NETWORK_TARGETS },
    log,
  );
  const clientTokens = new ClientCredentialsTokens(secrets, guard, config.ALLOW_PRIVATE_NETWORK_TARGETS);
  const access = new ProviderAccess(secrets, guard, oauth, clientTokens);
  const events = new ImportEvents(config.IMPORT_URL, config.INTERNAL_SECRET, log);
  const connectors = new ConnectorService(
    dataSource,
    secrets,
    access,
    new ConnectionService(access),
    oauth,
    events,
  );
  return { dataSource, connectors, oauth };
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
