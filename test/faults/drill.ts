import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataOf } from '@uif/testing';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { spawnImport, startFederation, type TestOrganization } from '../src/federation.js';
import { trackChild, type PrivateMariaDb } from './servers.js';

/**
 * The federation on a private MariaDB, in this process but for the import service in `children`.
 */
export async function startDrillFederation<const Child extends 'import' = never>(options: {
  mariadb: PrivateMariaDb;
  /** The directory on a server of its own (each service may have its own DATABASE_URL). */
  directoryMariadb?: PrivateMariaDb;
  importEnv?: Record<string, string>;
  connectorEnv?: Record<string, string>;
  /** `['import']`: the import service as a child process the drill may kill. */
  children?: readonly Child[];
}) {
  const databaseName = `uif_fault_${randomBytes(4).toString('hex')}`;
  const databaseUrl = await options.mariadb.createDatabase(databaseName);
  const directoryDatabaseUrl = options.directoryMariadb
    ? await options.directoryMariadb.createDatabase(databaseName)
    : databaseUrl;
  // Inside the server's directory: removed with it, even when this process is killed.
  const dataDir = mkdtempSync(join(options.mariadb.dir, 'services-'));
  const federation = await startFederation({
    importEnv: options.importEnv,
    connectorEnv: options.connectorEnv,
    children: options.children,
    database: { url: databaseUrl, directoryUrl: directoryDatabaseUrl, dataDir },
  });
  const { imports } = federation;
  if ('child' in imports) trackChild(imports.child);
  return {
    ...federation,
    databaseUrl,
    /** Rows of one query on the drill's database, on a connection of its own (survives restarts). */
    sql: (query: string, params: unknown[] = []) => sqlRows(databaseUrl, query, params),
    /** The same on the directory's database (the same one unless `directoryMariadb` was given). */
    directorySql: (query: string, params: unknown[] = []) => sqlRows(directoryDatabaseUrl, query, params),
    async stop() {
      await federation.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type DrillFederation<Child extends 'import' = never> = Awaited<
  ReturnType<typeof startDrillFederation<Child>>
>;

export async function sqlRows(url: string, query: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const connection = await createConnection(url);
  try {
    const [rows] = await connection.query<RowDataPacket[]>(query, params);
    return rows;
  } finally {
    await connection.end().catch(() => undefined);
  }
}

/** The import service as its own process (as in production), so a drill can SIGKILL it. */
export async function spawnImportService(env: Record<string, string>): Promise<ChildProcess> {
  const { child } = await spawnImport(env);
  trackChild(child);
  return child;
}

export interface JobView {
  id: string;
  status: string;
  error: string | null;
  counts: Record<
    'fetched' | 'created' | 'updated' | 'suspended' | 'reactivated' | 'unchanged' | 'skipped' | 'failed',
    number
  >;
  progress: { phase: string; processed: number; total: number | null };
}

const JOB_FIELDS =
  'id status error counts { fetched created updated suspended reactivated unchanged skipped failed } progress { phase processed total }';

/** The job as the API shows it; null while the API cannot answer (a drill's outage). */
export async function jobView(org: TestOrganization, id: string): Promise<JobView | null> {
  try {
    const answer = await org.query<{ importJob: JobView }>(
      `query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`,
      { id },
    );
    return answer.data?.importJob ?? null;
  } catch {
    return null;
  }
}

/** Polls the job until `until` holds, riding out moments where the API cannot answer. */
export async function waitForJobState(
  org: TestOrganization,
  id: string,
  until: (job: JobView) => boolean,
  timeoutMs: number,
  intervalMs = 50,
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  let last: JobView | null = null;
  for (;;) {
    last = (await jobView(org, id)) ?? last;
    if (last && until(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `import ${id} did not reach the state within ${timeoutMs / 1000} s: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const isFinished = (job: JobView) => !['QUEUED', 'RUNNING'].includes(job.status);

export async function startImportJob(org: TestOrganization, input: Record<string, unknown>): Promise<string> {
  const { startImport: started } = dataOf(
    await org.query<{ startImport: { id: string } }>(
      'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
      { input },
    ),
  );
  return started.id;
}

/**
 * What an operator checks after a fault, straight in the databases: directory users, their links
 * and creation events, and the job's result rows. Counts only; the drills assert on them.
 */
export async function integrity(
  federation: Pick<DrillFederation, 'sql' | 'directorySql'>,
  organizationId: string,
  jobId: string,
) {
  const count = async (sql: typeof federation.sql, query: string, params: unknown[]) =>
    Number(Object.values((await sql(query, params))[0] ?? {})[0] ?? 0);
  const directory = (query: string) => count(federation.directorySql, query, [organizationId]);
  const userIds = new Set(
    (await federation.directorySql('SELECT id FROM users WHERE organizationId = ?', [organizationId])).map(
      (row) => String(row.id),
    ),
  );
  const results = await storedResults(federation, jobId);
  const createdFor = results.filter((result) => result.outcome === 'CREATED');
  return {
    users: userIds.size,
    duplicateEmails: await directory(
      'SELECT COUNT(*) FROM (SELECT email FROM users WHERE organizationId = ? GROUP BY email HAVING COUNT(*) > 1) d',
    ),
    duplicateUsernames: await directory(
      'SELECT COUNT(*) FROM (SELECT usernameKey FROM users WHERE organizationId = ? GROUP BY usernameKey HAVING COUNT(*) > 1) d',
    ),
    links: await directory('SELECT COUNT(*) FROM user_links WHERE organizationId = ?'),
    duplicateLinks: await directory(
      'SELECT COUNT(*) FROM (SELECT userId FROM user_links WHERE organizationId = ? GROUP BY userId HAVING COUNT(*) > 1) d',
    ),
    usersWithoutLink: await directory(
      'SELECT COUNT(*) FROM users u WHERE u.organizationId = ? AND NOT EXISTS (SELECT 1 FROM user_links l WHERE l.organizationId = u.organizationId AND l.userId = u.id)',
    ),
    usersWithoutCreatedEvent: await directory(
      "SELECT COUNT(*) FROM users u WHERE u.organizationId = ? AND NOT EXISTS (SELECT 1 FROM directory_events e WHERE e.organizationId = u.organizationId AND e.userId = u.id AND e.type = 'USER_CREATED')",
    ),
    createdEvents: await directory(
      "SELECT COUNT(*) FROM directory_events WHERE organizationId = ? AND type = 'USER_CREATED'",
    ),
    results: results.length,
    distinctResultExternalIds: new Set(results.map((result) => result.externalId)).size,
    createdResults: createdFor.length,
    createdResultsWithoutUser: createdFor.filter((row) => !userIds.has(String(row.userId))).length,
  };
}

/** A job's results as stored: chunks of one outcome, each holding its users' results as JSON. */
export async function storedResults(
  federation: Pick<DrillFederation, 'sql'>,
  jobId: string,
): Promise<{ outcome: string; externalId: string | null; detail: string | null; userId: string | null }[]> {
  const chunks = await federation.sql('SELECT outcome, results FROM import_result_chunks WHERE jobId = ?', [
    jobId,
  ]);
  return chunks.flatMap(({ outcome, results }) =>
    (
      JSON.parse(String(results)) as {
        externalId: string | null;
        detail: string | null;
        userId: string | null;
      }[]
    ).map((result) => ({ ...result, outcome: String(outcome) })),
  );
}

/** One line per drill for docs/reliability.md. */
export function figure(drill: string, values: Record<string, string | number>): void {
  const parts = Object.entries(values).map(([name, value]) => `${name}=${value}`);
  console.log(`[fault-drill] ${drill}: ${parts.join(' ')}`);
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1)}s`;
