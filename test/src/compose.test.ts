import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createActiveConnector,
  createTestDatabase,
  employee,
  freePort,
  gatewayClient,
  startHrProvider,
  temporaryDirectory,
  testSecret,
  uniqueId,
  type HrProvider,
  type TestDatabase,
} from '@uif/testing';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from './import-helpers.js';
import { imageCommand, launch, startLikePnpmStart, stop, type Launched, type Started } from './launch.js';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
}

const compose = parse(readFileSync(fileURLToPath(new URL('../../compose.yaml', import.meta.url)), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };

/** compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}`, from `variables`. */
function interpolate(
  environment: Record<string, string>,
  variables: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      String(value).replace(
        /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
        (_all, variable: string, kind?: string, rest?: string) => {
          const set = variables[variable];
          if (set !== undefined && set !== '') return set;
          if (kind === '?') throw new Error(`compose.yaml needs ${variable}: ${rest}`);
          return kind === '-' ? (rest ?? '') : '';
        },
      ),
    ]),
  );
}

/**
 * compose.yaml's API process and workers, with their commands and environments as written; only what
 * Docker would provide differs: the hosts (mariadb, redis, api) are this machine's, on free ports.
 */
describe('compose.yaml, run without Docker', () => {
  let database: TestDatabase;
  let hr: HrProvider;
  let api: Started;
  const workers: Launched[] = [];
  const org = { id: 'acme', apiKey: `uif_${testSecret()}` };

  beforeAll(async () => {
    [database, hr] = await Promise.all([
      createTestDatabase(),
      startHrProvider({ users: [employee(1), employee(2), employee(3)], total: { header: 'X-Total-Count' } }),
    ]);
  });
  afterAll(async () => {
    for (const process of [api, ...workers]) if (process) await stop(process);
    await hr?.close();
    await database?.drop();
  });

  it('runs one API process and two workers on MariaDB and Redis: the workers run the imports', async () => {
    const variables = {
      INTERNAL_SECRET: testSecret(),
      SECRET_KEY: 'a1'.repeat(32),
      BOOTSTRAP_ORG_ID: org.id,
      BOOTSTRAP_API_KEY: org.apiKey,
    };
    const onThisMachine = (environment: Record<string, string>): Record<string, string> => ({
      ...environment,
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      IMPORT_QUEUE_NAME: uniqueId('compose'),
      ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    });
    const apiService = compose.services.api!;
    expect(apiService.command).toEqual(imageCommand());
    const apiEnv = onThisMachine(interpolate(apiService.environment!, variables));
    api = await startLikePnpmStart(temporaryDirectory(), { ...apiEnv, HOST: '127.0.0.1' });

    const workerService = compose.services.worker!;
    expect(workerService.deploy?.replicas).toBe(2);
    const workerEnv = onThisMachine(interpolate(workerService.environment!, variables));
    for (let n = 0; n < 2; n += 1) {
      workers.push(
        await launch(
          workerService.command!,
          {
            ...workerEnv,
            IMPORT_QUEUE_NAME: apiEnv.IMPORT_QUEUE_NAME,
            HOST: '127.0.0.1',
            IMPORT_PORT: String(await freePort()),
            DATA_DIR: temporaryDirectory(),
            DIRECTORY_URL: workerEnv.DIRECTORY_URL!.replace('api:4001', `127.0.0.1:${api.ports.directory}`),
            CONNECTOR_URL: workerEnv.CONNECTOR_URL!.replace('api:4002', `127.0.0.1:${api.ports.connector}`),
          },
          'import subgraph listening',
        ),
      );
    }
    expect(apiEnv.IMPORT_ROLE).toBe('api');
    expect(workerEnv.IMPORT_ROLE).toBe('worker');

    const query = gatewayClient(api.gatewayUrl, org.apiKey, org.id);
    const connectorId = await createActiveConnector(query, hr.url, 2);
    const job = await runImport({ ...org, query }, { connectorId, operations: ['USER_CREATE'] });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts.created).toBe(3);
    // The API process runs no job (IMPORT_ROLE=api): one of the workers did.
    const ranIt = (output: string) =>
      output.split('\n').some((line) => line.includes(job.id) && /"msg":"import \w+ in [\d.]+ s"/.test(line));
    expect(ranIt(api.output())).toBe(false);
    expect(workers.filter((worker) => ranIt(worker.output()))).toHaveLength(1);
  });
});
