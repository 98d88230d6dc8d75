import { parseConfig, type Identity } from '@uif/runtime';
import type { RunningService } from '@uif/subgraph';
import {
  capturedLogger,
  createTestDatabase,
  signedSubgraphClient,
  temporaryDirectory,
  testSecret,
  uniqueId,
  type TestDatabase,
} from '@uif/testing';
import { connectorConfigSchema, startConnector } from '../app.js';

export interface ConnectorFixture {
  connector: RunningService;
  /** The secret identities are signed with (to call /internal routes as the gateway would). */
  internalSecret: string;
  /** Every log line the service wrote. */
  logs: string[];
  /** A subgraph client signed as a member of a new organization. */
  newMember(): { organizationId: string; query: ReturnType<typeof signedSubgraphClient> };
  close(): Promise<void>;
}

/** The connector subgraph on a fresh MySQL database (or SQLite), reaching providers on loopback unless guarded. */
export async function startConnectorFixture(
  options: { dialect?: 'mysql' | 'sqlite'; env?: Record<string, string> } = {},
): Promise<ConnectorFixture> {
  const database: TestDatabase | null = options.dialect === 'sqlite' ? null : await createTestDatabase();
  const secret = testSecret();
  const { log, lines } = capturedLogger('connector');
  const config = parseConfig('connector', connectorConfigSchema, {
    CONNECTOR_PORT: '0',
    INTERNAL_SECRET: secret,
    DATA_DIR: temporaryDirectory(),
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    PROVIDER_TIMEOUT_SECONDS: '2',
    PROVIDER_RETRIES: '2',
    PROVIDER_RETRY_BASE_MS: '10',
    // No import service here: activations are told to a port nobody listens on (best effort).
    IMPORT_URL: 'http://127.0.0.1:9',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const connector = await startConnector(config, { log });
  return {
    connector,
    internalSecret: secret,
    logs: lines,
    newMember() {
      const organizationId = uniqueId('org');
      const identity: Identity = { kind: 'member', organizationId, actor: 'admin key', apiKeyId: 'k' };
      return { organizationId, query: signedSubgraphClient(connector.url, identity, secret) };
    },
    async close() {
      await connector.stop();
      await database?.drop();
    },
  };
}
