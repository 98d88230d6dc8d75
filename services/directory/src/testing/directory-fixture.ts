import { DirectoryClient, type UserBatch, type UserChange } from '@uif/directory-client';
import { QueryCounter } from '@uif/database';
import type { Identity } from '@uif/runtime';
import {
  createTestDatabase,
  signedSubgraphClient,
  temporaryDirectory,
  testSecret,
  uniqueId,
} from '@uif/testing';
import { ApiKeyService } from '../api-key/api-key.service.js';
import { startDirectory, type RunningDirectory } from '../app.js';

export type Dialect = 'mysql' | 'sqlite';

export interface DirectoryFixture {
  directory: RunningDirectory;
  secret: string;
  queries: QueryCounter;
  batches: DirectoryClient;
  /** A new organization for one test, so tests never share data. */
  newOrganization(): Promise<string>;
  /** Rows of the organization in `table`, those meeting the SQL `condition` only when it is given. */
  rows(table: string, organizationId: string, condition?: string): Promise<number>;
  /** A subgraph client signed as a member of the organization. */
  as(organizationId: string): ReturnType<typeof signedSubgraphClient>;
  close(): Promise<void>;
}

/** A directory subgraph on a fresh MySQL database or a fresh SQLite file. */
export async function startDirectoryFixture(dialect: Dialect): Promise<DirectoryFixture> {
  const database = dialect === 'mysql' ? await createTestDatabase() : null;
  const secret = testSecret();
  const queries = new QueryCounter();
  const directory = await startDirectory(
    {
      DIRECTORY_PORT: 0,
      HOST: '127.0.0.1',
      INTERNAL_SECRET: secret,
      DATABASE_URL: database?.url,
      DATA_DIR: temporaryDirectory(),
      LOG_LEVEL: 'silent',
    },
    { queryLogger: queries },
  );
  const apiKeys = new ApiKeyService(directory.dataSource);
  return {
    directory,
    secret,
    queries,
    batches: new DirectoryClient(directory.url, secret, 'import'),
    async newOrganization() {
      const organizationId = uniqueId('org');
      await apiKeys.create(organizationId, 'test key');
      return organizationId;
    },
    async rows(table, organizationId, condition = 'TRUE') {
      const [row] = (await directory.dataSource.query(
        `SELECT COUNT(*) AS n FROM ${table} WHERE organizationId = ? AND ${condition}`,
        [organizationId],
      )) as { n: string | number }[];
      return Number(row!.n);
    },
    as(organizationId) {
      const identity: Identity = { kind: 'member', organizationId, actor: 'test key', apiKeyId: 'k' };
      return signedSubgraphClient(directory.url, identity, secret);
    },
    async close() {
      await directory.stop();
      await database?.drop();
    },
  };
}

/** A person as a provider would have them, numbered so batches of any size can be made. */
export function person(
  n: number,
  overrides: Partial<Extract<UserChange, { kind: 'create' }>['attributes']> = {},
) {
  return {
    email: `Person.${n}@Example.com`,
    username: `person${n}`,
    firstname: `First${n}`,
    lastname: `Last${n}`,
    employeeIdentifier: `E${n}`,
    department: n % 2 ? 'Engineering' : 'Sales',
    addresses: [{ type: 'work' as const, locality: 'Berlin', country: 'DE' }],
    phoneNumbers: [{ type: 'mobile' as const, number: `+49 170 ${n}` }],
    ...overrides,
  };
}

export function createBatch(
  organizationId: string,
  changes: UserChange[],
  extra: Partial<Omit<UserBatch, 'changes'>> = {},
): UserBatch {
  return {
    organizationId,
    connectorId: 'connector-1',
    importJobId: 'job-1',
    actor: 'import test',
    changes,
    ...extra,
  };
}
