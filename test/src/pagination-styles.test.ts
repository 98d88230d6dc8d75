import {
  createActiveConnector,
  dataOf,
  employee,
  pagedListUsers,
  startPagedProvider,
  type PagedStyle,
  type PagingFault,
  type TestServer,
} from '@uif/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { runImport } from './import-helpers.js';

const USERS = 2_537;
const staff = Array.from({ length: USERS }, (_, i) => employee(i + 1));

describe('importing from providers that page by number, cursor or next URL', () => {
  let federation: Federation;
  const providers: TestServer[] = [];
  beforeAll(async () => {
    federation = await startFederation();
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close()));
  });
  afterAll(() => federation?.stop());

  async function connectorOn(paging: PagedStyle, fault?: PagingFault) {
    const org = await federation.newOrganization();
    const provider = await startPagedProvider({ users: staff, paging, ...(fault ? { fault } : {}) });
    providers.push(provider);
    const connectorId = await createActiveConnector(org.query, provider.url, 100, {
      listUsers: pagedListUsers(paging),
    });
    return { org, provider, connectorId };
  }

  async function testConnection(org: TestOrganization, id: string) {
    const { testConnection } = dataOf(
      await org.query<{ testConnection: { ok: boolean; message: string; totalCount: number | null } }>(
        'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message totalCount } }',
        { id },
      ),
    );
    return testConnection;
  }

  it.each([
    [
      'page numbers from 0',
      { style: 'PAGE_NUMBER', firstPage: 0 },
      /by page number \(PAGE_NUMBER\): the next page would be GET http:\/\/127\.0\.0\.1:\d+\/employees\?per_page=100&page=1\.$/,
    ],
    [
      'page numbers from 1',
      { style: 'PAGE_NUMBER', firstPage: 1 },
      /the next page would be GET http:\/\/127\.0\.0\.1:\d+\/employees\?per_page=100&page=2\.$/,
    ],
    [
      'a cursor in the body',
      { style: 'CURSOR' },
      /by cursor \(CURSOR\): the next page would be GET \S+\?limit=100&cursor=[\w-]+\.$/,
    ],
    [
      'a Link header',
      { style: 'LINK_HEADER' },
      /by next URL \(NEXT_URL\): the next page would be GET \S+\?limit=100&page_token=[\w-]+\.$/,
    ],
    [
      'a next URL in the body',
      { style: 'BODY_NEXT_URL' },
      /by next URL \(NEXT_URL\): the next page would be GET \S+\?limit=100&page_token=[\w-]+\.$/,
    ],
  ] as [string, PagedStyle, RegExp][])(
    'imports all 2,537 users from a provider paging by %s',
    async (_, paging, nextPage) => {
      const { org, provider, connectorId } = await connectorOn(paging);
      const test = await testConnection(org, connectorId);
      expect(test).toMatchObject({ ok: true, totalCount: null });
      expect(test.message).toMatch(/^Connected: the first page held 100 users\. Paged /);
      expect(test.message).toMatch(nextPage);

      const before = provider.requests.length;
      const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
      expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(job.counts).toMatchObject({ fetched: USERS, created: USERS, failed: 0, skipped: 0 });
      // 26 pages; paging by number reads up to two pages ahead, past the end when no total says where it is.
      const requests = provider.requests.length - before;
      expect(requests).toBeGreaterThanOrEqual(26);
      expect(requests).toBeLessThanOrEqual(paging.style === 'PAGE_NUMBER' ? 28 : 26);
      const { organization } = dataOf(
        await org.query<{ organization: { userCount: number } }>('{ organization { userCount } }'),
      );
      expect(organization.userCount).toBe(USERS);
    },
  );

  it('shows no percent while a listing without a total is read, and ends it at the last page', async () => {
    const org = await federation.newOrganization();
    const paging: PagedStyle = { style: 'CURSOR' };
    const provider = await startPagedProvider({ users: staff.slice(0, 250), paging, pageDelayMs: 150 });
    providers.push(provider);
    const connectorId = await createActiveConnector(org.query, provider.url, 50, {
      listUsers: pagedListUsers(paging, 50),
    });
    const { startImport } = dataOf(
      await org.query<{ startImport: { id: string } }>(
        'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
        { input: { connectorId, operations: ['USER_CREATE'] } },
      ),
    );
    const seen: {
      status: string;
      phase: string;
      processed: number;
      total: number | null;
      percent: number | null;
    }[] = [];
    for (;;) {
      const { importJob } = dataOf(
        await org.query<{ importJob: { progress: (typeof seen)[number] } }>(
          'query ($id: ID!) { importJob(id: $id) { progress { status phase processed total percent } } }',
          { id: startImport.id },
        ),
      );
      seen.push(importJob.progress);
      if (!['QUEUED', 'RUNNING'].includes(importJob.progress.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const reading = seen.filter((p) => p.phase === 'FETCHING');
    expect(reading.length).toBeGreaterThan(0);
    expect(reading.every((p) => p.total === null && p.percent === null)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ status: 'SUCCEEDED', processed: 250, total: 250, percent: 100 });
  });

  it.each([
    [
      'a cursor given twice',
      { style: 'CURSOR' },
      { fault: 'repeat-cursor', at: 4 },
      /The provider gave the cursor "[\w-]+" a second time \(after 5 pages\)/,
    ],
    [
      'a next URL on another origin',
      { style: 'BODY_NEXT_URL' },
      { fault: 'foreign-next-url', at: 2 },
      /The next page's URL http:\/\/127\.0\.0\.2:9\/employees\?\S+ is on another origin than the base URL http:\/\/127\.0\.0\.1:\d+: reading stopped/,
    ],
    [
      'a page that is not JSON',
      { style: 'LINK_HEADER' },
      { fault: 'not-json', at: 7 },
      /The provider answered text\/html instead of JSON: <html>/,
    ],
  ] as [string, PagedStyle, PagingFault, RegExp][])(
    'fails the import on %s, naming it, and creates nobody',
    async (_, paging, fault, reason) => {
      const { org, connectorId } = await connectorOn(paging, fault);
      const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
      expect(job.status).toBe('FAILED');
      expect(job.error).toMatch(reason);
      expect(job.counts.created).toBe(0);
    },
  );

  it('fails the connection test when the cursor path finds nothing on a full first page', async () => {
    const org = await federation.newOrganization();
    const provider = await startPagedProvider({
      users: staff,
      paging: { style: 'CURSOR' },
      fault: { fault: 'no-cursor' },
    });
    providers.push(provider);
    const { createCustomApiConnector } = dataOf(
      await org.query<{ createCustomApiConnector: { id: string } }>(
        'mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id } }',
        {
          input: {
            displayLabel: 'Cursor HR',
            baseUrl: provider.url,
            auth: { bearerToken: { token: 'hr-token' } },
            listUsers: pagedListUsers({ style: 'CURSOR' }),
          },
        },
      ),
    );
    const test = await testConnection(org, createCustomApiConnector.id);
    expect(test).toMatchObject({
      ok: false,
      message:
        "The first page was full but the path meta.next_cursor found no cursor in it: check the connector's cursorPath",
    });
  });
});
