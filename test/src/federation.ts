import { startConnector, connectorConfigSchema } from '@uif/connector';
import { DirectoryClient } from '@uif/directory-client';
import { ApiKeyService, directoryConfigSchema, startDirectory } from '@uif/directory';
import { gatewayConfigSchema, startGateway } from '@uif/gateway';
import { importConfigSchema, startImport } from '@uif/import';
import { parseConfig } from '@uif/runtime';
import {
  capturedLogger,
  createTestDatabase,
  freePort,
  gatewayClient,
  temporaryDirectory,
  testSecret,
  uniqueId,
} from '@uif/testing';

export interface TestOrganization {
  id: string;
  apiKey: string;
  /** GraphQL through the gateway as this organization. */
  query: ReturnType<typeof gatewayClient>;
}

/**
 * The whole federation in this process: three subgraphs and the gateway on free ports, on a fresh
 * MySQL database. `stop()` disposes of all of it.
 */
export async function startFederation(
  options: {
    connectorEnv?: Record<string, string>;
    importEnv?: Record<string, string>;
    gatewayEnv?: Record<string, string>;
  } = {},
) {
  const database = await createTestDatabase();
  // Known before the gateway starts: OAuth providers are told to come back to its /oauth/callback.
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  // Known before the connector service starts: it tells the import service of (de)activations.
  const importPort = await freePort();
  const secret = testSecret();
  const bootstrap = { BOOTSTRAP_ORG_ID: uniqueId('bootstrap'), BOOTSTRAP_API_KEY: `uif_${testSecret()}` };
  const common = {
    HOST: '127.0.0.1',
    INTERNAL_SECRET: secret,
    DATABASE_URL: database.url,
    DATA_DIR: temporaryDirectory(),
  };
  // Every service logs at debug level into one list, so tests can search what was logged.
  const { log, lines: logs } = capturedLogger('federation');
  const directory = await startDirectory(
    parseConfig('directory', directoryConfigSchema, { ...common, ...bootstrap, DIRECTORY_PORT: '0' }),
    { log: log.child({ service: 'directory' }) },
  );
  const connector = await startConnector(
    parseConfig('connector', connectorConfigSchema, {
      ...common,
      CONNECTOR_PORT: '0',
      PUBLIC_URL: gatewayUrl,
      IMPORT_URL: `http://127.0.0.1:${importPort}`,
      ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
      PROVIDER_RETRY_BASE_MS: '10',
      ...options.connectorEnv,
    }),
    { log: log.child({ service: 'connector' }) },
  );
  // The import service's environment, kept so a test can start it again (another process, a restart).
  const importEnv = {
    ...common,
    IMPORT_PORT: String(importPort),
    DIRECTORY_URL: directory.url,
    CONNECTOR_URL: connector.url,
    PUBLIC_URL: gatewayUrl,
    ...options.importEnv,
  };
  const imports = await startImport(parseConfig('import', importConfigSchema, importEnv), {
    log: log.child({ service: 'import' }),
  });
  const gateway = await startGateway(
    parseConfig('gateway', gatewayConfigSchema, {
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      INTERNAL_SECRET: secret,
      DIRECTORY_URL: directory.url,
      CONNECTOR_URL: connector.url,
      IMPORT_URL: imports.url,
      ...options.gatewayEnv,
    }),
    { log: log.child({ service: 'gateway' }) },
  );
  const apiKeys = new ApiKeyService(directory.dataSource);
  return {
    gateway,
    directory,
    connector,
    imports,
    secret,
    bootstrap,
    logs,
    importEnv,
    batches: new DirectoryClient(directory.url, secret, 'import'),
    client: (apiKey: string, organizationId: string) => gatewayClient(gateway.url, apiKey, organizationId),
    async newOrganization(): Promise<TestOrganization> {
      const id = uniqueId('org');
      const { apiKey } = await apiKeys.create(id, 'e2e key');
      return { id, apiKey, query: gatewayClient(gateway.url, apiKey, id) };
    },
    async stop() {
      await gateway.stop();
      await Promise.all([directory.stop(), connector.stop(), imports.stop()]);
      await database.drop();
    },
  };
}

export type Federation = Awaited<ReturnType<typeof startFederation>>;
