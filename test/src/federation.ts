import { DirectoryClient } from '@uif/directory-client';
import { ApiKeyService } from '@uif/directory';
import {
  spawnService,
  startFederation as startServices,
  type ChildService,
  type Env,
  type InProcess,
} from '@uif/federation';
import {
  capturedLogger,
  createTestDatabase,
  freePorts,
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

/** A service a test runs as a child process: quiet, logging warnings and errors only. */
const CHILD_ENV = { PATH: process.env.PATH ?? '', CI: 'true', LOG_LEVEL: 'warn' };

/** An import process of its own on the federation's settings (a worker, one a test kills), as in production. */
export function spawnImport(env: Env): Promise<ChildService> {
  return spawnService('import', { ...CHILD_ENV, ...env }, { readyTimeoutMs: 30_000 });
}

/**
 * The whole federation on free ports: three subgraphs and the gateway in this process (the import
 * service as a child process with `children: ['import']`), on a fresh MySQL database unless
 * `database` names one. `stop()` disposes of all of it.
 */
export async function startFederation<const Child extends 'import' = never>(
  options: {
    connectorEnv?: Env;
    importEnv?: Env;
    gatewayEnv?: Env;
    children?: readonly Child[];
    /** The caller's databases and data folder (the fault drills' private servers), kept at stop. */
    database?: { url: string; directoryUrl: string; dataDir: string };
  } = {},
) {
  const fresh = options.database ? null : await createTestDatabase();
  const database = options.database ?? {
    url: fresh!.url,
    directoryUrl: fresh!.url,
    dataDir: temporaryDirectory(),
  };
  const ports = await freePorts();
  const secret = testSecret();
  const bootstrap = { BOOTSTRAP_ORG_ID: uniqueId('bootstrap'), BOOTSTRAP_API_KEY: `uif_${testSecret()}` };
  // Every service in this process logs at debug level into one list, so tests can search what was logged.
  const { log, lines: logs } = capturedLogger('federation');
  const services = await startServices({
    ports,
    env: {
      HOST: '127.0.0.1',
      INTERNAL_SECRET: secret,
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      // Where the gateway listens: the links it hands out and OAuth callbacks must reach it.
      PUBLIC_URL: `http://127.0.0.1:${ports.gateway}`,
    },
    serviceEnv: {
      directory: { ...bootstrap, DATABASE_URL: database.directoryUrl },
      connector: {
        ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
        PROVIDER_RETRY_BASE_MS: '10',
        ...options.connectorEnv,
      },
      import: { ...(options.children?.length ? CHILD_ENV : {}), ...options.importEnv },
      gateway: { ...options.gatewayEnv },
    },
    children: (options.children ?? []) as readonly 'import'[],
    log,
    spawn: () => ({ readyTimeoutMs: 30_000 }),
  });
  const { directory, gateway } = services;
  const apiKeys = new ApiKeyService(directory.dataSource);
  return {
    gateway,
    directory,
    connector: services.connector,
    // Typed above as a child process whether or not it is one: `Child` says which.
    imports: services.import as unknown as 'import' extends Child ? ChildService : InProcess['import'],
    secret,
    bootstrap,
    logs,
    /** The import service's settings, to start it again (another process, a restart). */
    importEnv: services.env.import,
    batches: new DirectoryClient(directory.url, secret, 'import'),
    client: (apiKey: string, organizationId: string) => gatewayClient(gateway.url, apiKey, organizationId),
    async newOrganization(): Promise<TestOrganization> {
      const id = uniqueId('org');
      const { apiKey } = await apiKeys.create(id, 'e2e key');
      return { id, apiKey, query: gatewayClient(gateway.url, apiKey, id) };
    },
    async stop() {
      await services.stop();
      await fresh?.drop();
    },
  };
}

export type Federation = Awaited<ReturnType<typeof startFederation<never>>>;
