import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { dataOf, type HrProvider } from '@uif/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { activeConnector, employee, runImport, startHr, type Employee } from './import-helpers.js';

interface Change {
  attribute: string;
  from: unknown;
  to: unknown;
}

interface ResultPage {
  importJob: { results: { nodes: Result[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
}

interface Result {
  externalId: string;
  outcome: string;
  detail: string | null;
  changes: Change[];
}

/** Every result of a job, with its changes, paging through them. */
async function allResults(org: TestOrganization, id: string): Promise<Result[]> {
  const results: Result[] = [];
  let after: string | null = null;
  for (;;) {
    const { importJob }: ResultPage = dataOf(
      await org.query<ResultPage>(
        `query ($id: ID!, $after: String) { importJob(id: $id) { results(first: 500, after: $after) {
          nodes { externalId outcome detail changes { attribute from to } } pageInfo { hasNextPage endCursor } } } }`,
        { id, after },
      ),
    );
    results.push(...importJob.results.nodes);
    if (!importJob.results.pageInfo.hasNextPage) return results;
    after = importJob.results.pageInfo.endCursor;
  }
}

describe('safe imports', () => {
  let federation: Federation;
  const providers: HrProvider[] = [];
  beforeAll(async () => {
    federation = await startFederation({ importEnv: { IMPORT_BATCH_SIZE: '200' } });
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close()));
  });
  afterAll(() => federation?.stop());

  async function setup(employees: Employee[]) {
    const org = await federation.newOrganization();
    const hr = await startHr(employees);
    providers.push(hr);
    const connectorId = await activeConnector(org, hr.url, 100);
    return { org, hr, connectorId };
  }

  /** Everything an import may write for the organization: users, links, events, and every email sent. */
  async function snapshot(org: TestOrganization) {
    const rows = (table: string) =>
      federation.directory.dataSource.query(`SELECT * FROM ${table} WHERE organizationId = ? ORDER BY id`, [
        org.id,
      ]) as Promise<unknown[]>;
    const links = (await federation.directory.dataSource.query(
      'SELECT * FROM user_links WHERE organizationId = ? ORDER BY connectorId, externalId',
      [org.id],
    )) as unknown[];
    const { organization } = dataOf(
      await org.query<{ organization: { userCount: number } }>('{ organization { userCount } }'),
    );
    const outbox = await readdir(join(federation.importEnv.DATA_DIR, 'outbox')).catch(() => []);
    return {
      users: await rows('users'),
      links,
      events: await rows('directory_events'),
      userCount: organization.userCount,
      outbox: outbox.sort(),
    };
  }

  it('a dry run of 1,000 users says what would happen, changes nothing, and the real run does it', async () => {
    const staff = Array.from({ length: 700 }, (_, i) => employee(i + 1));
    const { org, hr, connectorId } = await setup(staff);
    const first = await runImport(org, { connectorId, operations: ['USER_CREATE'] });
    expect(first.counts.created).toBe(700);
    // At the provider: 200 move department, 40 leave, 300 join.
    for (let n = 1; n <= 200; n += 1) (hr.users[n - 1] as Employee).department = 'Sales';
    for (let n = 201; n <= 240; n += 1) (hr.users[n - 1] as Employee).status = 'Inactive';
    hr.users.push(...Array.from({ length: 300 }, (_, i) => employee(701 + i)));

    const before = await snapshot(org);
    const input = { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] };
    const dryRun = await runImport(org, { ...input, dryRun: true });
    const expected = {
      fetched: 1000,
      created: 300,
      updated: 200,
      suspended: 40,
      reactivated: 0,
      unchanged: 460,
      skipped: 0,
      failed: 0,
    };
    expect(dryRun).toMatchObject({ status: 'SUCCEEDED', error: null, counts: expected });
    const { importJob } = dataOf(
      await org.query<{ importJob: { dryRun: boolean } }>(
        'query ($id: ID!) { importJob(id: $id) { dryRun } }',
        {
          id: dryRun.id,
        },
      ),
    );
    expect(importJob.dryRun).toBe(true);
    const planned = await allResults(org, dryRun.id);
    expect(planned).toHaveLength(1000);
    expect(planned[0]).toEqual({
      externalId: '1001',
      outcome: 'UPDATED',
      detail: 'Changed: department',
      changes: [{ attribute: 'department', from: 'Ops', to: 'Sales' }],
    });
    expect(planned[200]).toMatchObject({
      externalId: '1201',
      outcome: 'SUSPENDED',
      changes: [{ attribute: 'state', from: 'ACTIVE', to: 'SUSPENDED' }],
    });
    expect(planned[700]).toMatchObject({ externalId: '1701', outcome: 'CREATED', changes: [] });
    expect(planned[500]).toMatchObject({ externalId: '1501', outcome: 'UNCHANGED', changes: [] });

    // Nothing written: the directory, its events, its license count and the outbox are as they were.
    expect(await snapshot(org)).toEqual(before);
    const download = await fetch(dryRun.resultsDownloadUrl!);
    expect(download.headers.get('content-disposition')).toContain('dry-run-results.csv');
    await download.arrayBuffer();

    const real = await runImport(org, input);
    expect(real).toMatchObject({ status: 'SUCCEEDED', counts: expected });
    const applied = await allResults(org, real.id);
    expect(applied.map((r) => [r.outcome, r.changes])).toEqual(planned.map((r) => [r.outcome, r.changes]));
  });
});
