import {
  pagedListUsers,
  startPagedProvider,
  type PagedStyle,
  type PagingFault,
  type TestServer,
} from '@uif/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_POLICY, type HttpPolicy, type ProviderAuth } from './http.js';
import { describePaging, fetchUserPage, FIRST_PAGE, listUserPages, type ListUsersConfig } from './pages.js';

const policy: HttpPolicy = {
  ...DEFAULT_HTTP_POLICY,
  allowPrivateNetwork: true,
  retries: 0,
  timeoutMs: 5_000,
};
const noAuth: ProviderAuth = { headers: async () => ({}) };
const USERS = 2_537;
const people = Array.from({ length: USERS }, (_, i) => ({ id: i + 1 }));

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function listing(paging: PagedStyle, fault?: PagingFault, pageSize = 100) {
  const server = await startPagedProvider({ users: people, paging, ...(fault ? { fault } : {}) });
  servers.push(server);
  const config = { baseUrl: server.url, ...pagedListUsers(paging, pageSize) } as ListUsersConfig;
  return { server, config };
}

async function readIds(config: ListUsersConfig): Promise<number[]> {
  const ids: number[] = [];
  for await (const page of listUserPages(config, noAuth, policy)) {
    ids.push(...page.users.map((user) => (user as { id: number }).id));
  }
  return ids;
}

const STYLES: [string, PagedStyle][] = [
  ['page numbers from 0', { style: 'PAGE_NUMBER', firstPage: 0 }],
  ['page numbers from 1', { style: 'PAGE_NUMBER', firstPage: 1 }],
  ['a cursor in the body', { style: 'CURSOR' }],
  ['a Link header', { style: 'LINK_HEADER' }],
  ['a next URL in the body', { style: 'BODY_NEXT_URL' }],
];

describe('pagination styles', () => {
  it.each(STYLES)('reads all 2,537 users, each once and in order, by %s', async (_, paging) => {
    const { server, config } = await listing(paging);
    expect(await readIds(config)).toEqual(people.map((p) => p.id));
    expect(server.requests).toHaveLength(26);
  });

  it('asks page numbers from firstPage on', async () => {
    const { server, config } = await listing({ style: 'PAGE_NUMBER', firstPage: 0 }, undefined, 1000);
    await readIds(config);
    expect(server.requests.map((r) => r.url.search)).toEqual([
      '?per_page=1000&page=0',
      '?per_page=1000&page=1',
      '?per_page=1000&page=2',
    ]);
  });

  it('says which style it used and what the next page would be', async () => {
    const { server, config } = await listing({ style: 'CURSOR' });
    const first = await fetchUserPage(config, noAuth, policy, FIRST_PAGE);
    expect(describePaging(config, first)).toBe(
      `Paged by cursor (CURSOR): the next page would be GET ${server.url}/employees?limit=100&cursor=${first.next}.`,
    );
    const links = await listing({ style: 'LINK_HEADER' });
    const page = await fetchUserPage(links.config, noAuth, policy, FIRST_PAGE);
    expect(describePaging(links.config, page)).toMatch(
      new RegExp(
        `^Paged by next URL \\(NEXT_URL\\): the next page would be GET ${links.server.url}/employees\\?limit=100&page_token=`,
      ),
    );
  });

  it('fails on a cursor given a second time, naming it', async () => {
    const { config } = await listing({ style: 'CURSOR' }, { fault: 'repeat-cursor', at: 2 });
    await expect(readIds(config)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: expect.stringMatching(
        /^The provider gave the cursor "[\w-]+" a second time \(after 3 pages\)/,
      ),
    });
  });

  it('fails on a next URL on another origin than baseUrl, before requesting it', async () => {
    for (const paging of [{ style: 'LINK_HEADER' }, { style: 'BODY_NEXT_URL' }] as const) {
      const { server, config } = await listing(paging, { fault: 'foreign-next-url' });
      await expect(readIds(config)).rejects.toMatchObject({
        code: 'PROVIDER_ERROR',
        message: expect.stringContaining(
          `The next page's URL http://127.0.0.2:9/employees?limit=100&page_token=`,
        ),
      });
      expect(server.requests).toHaveLength(2);
    }
  });

  it('fails on a page that is not JSON, naming what came', async () => {
    const { config } = await listing({ style: 'BODY_NEXT_URL' }, { fault: 'not-json', at: 3 });
    await expect(readIds(config)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message:
        'The provider answered text/html instead of JSON: <html><body>Maintenance: back soon</body></html>',
    });
  });

  it('fails when the cursor path finds nothing on a full first page', async () => {
    const { config } = await listing({ style: 'CURSOR' }, { fault: 'no-cursor' });
    await expect(fetchUserPage(config, noAuth, policy, FIRST_PAGE)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message:
        "The first page was full but the path meta.next_cursor found no cursor in it: check the connector's cursorPath",
    });
  });

  it('ends a cursor listing that fits one page, where the cursor is simply absent', async () => {
    const { config } = await listing({ style: 'CURSOR' }, { fault: 'no-cursor' }, 1000);
    await expect(readIds({ ...config, pageSize: 3000 })).resolves.toHaveLength(USERS);
  });
});
