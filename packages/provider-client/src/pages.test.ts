import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { sendJson, startTestServer, type TestServer } from '@uif/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_POLICY, guardedFetch, type HttpPolicy, type ProviderAuth } from './http.js';
import { fetchUserPage, listUserPages, type ListUsersConfig } from './pages.js';
import { assertPublicTarget, type HostResolver } from './ssrf.js';

const policy: HttpPolicy = {
  ...DEFAULT_HTTP_POLICY,
  allowPrivateNetwork: true,
  retryBaseDelayMs: 10,
  timeoutMs: 2_000,
};
const apiKey: ProviderAuth = { headers: async () => ({ 'X-HR-Key': 'secret-key-1' }) };
const people = Array.from({ length: 23 }, (_, i) => ({ id: i + 1, email: `p${i + 1}@hr.example` }));

const servers: TestServer[] = [];
async function provider(handler: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const config = (baseUrl: string, overrides: Partial<ListUsersConfig> = {}): ListUsersConfig => ({
  baseUrl,
  path: '/employees',
  resourceLocation: '.',
  totalCountSource: 'NONE',
  limitParam: 'limit',
  offsetParam: 'offset',
  pageSize: 10,
  ...overrides,
});

/** Pages of `people` by limit/offset, wrapped by `wrap`. */
function paged(wrap: (slice: unknown[], url: URL) => { body: unknown; headers?: Record<string, string> }) {
  return ({ url }: { url: URL }, response: Parameters<typeof sendJson>[0]) => {
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    const { body, headers } = wrap(people.slice(offset, offset + limit), url);
    sendJson(response, 200, body, headers);
  };
}

async function readAll(
  listing: AsyncGenerator<{ users: unknown[]; total: number | null; warnings: string[] }>,
) {
  const pages = [];
  for await (const page of listing) pages.push(page);
  return pages;
}

describe('listing users from a REST provider', () => {
  it('reads every page with the total from a header', async () => {
    const server = await provider(paged((slice) => ({ body: slice, headers: { 'X-Total-Count': '23' } })));
    const pages = await readAll(
      listUserPages(
        config(server.url, { totalCountSource: 'HEADER', totalCountLocation: 'X-Total-Count' }),
        apiKey,
        policy,
      ),
    );
    expect(pages.map((p) => p.users.length)).toEqual([10, 10, 3]);
    expect(pages[0]!.total).toBe(23);
    expect(server.requests.map((r) => r.url.search)).toEqual([
      '?limit=10&offset=0',
      '?limit=10&offset=10',
      '?limit=10&offset=20',
    ]);
    expect(server.requests[0]!.headers['x-hr-key']).toBe('secret-key-1');
  });

  it('finds users and the total at nested body paths, and merges the advanced query', async () => {
    const server = await provider(
      paged((slice) => ({ body: { data: { resources: { users: slice } }, meta: { total_count: 23 } } })),
    );
    const listing = config(server.url, {
      resourceLocation: 'data.resources.users',
      totalCountSource: 'BODY',
      totalCountLocation: 'meta.total_count',
      pageSize: 20,
      query: 'status=active&dept=R%26D',
    });
    const pages = await readAll(listUserPages(listing, apiKey, policy));
    expect(pages.map((p) => [p.users.length, p.total])).toEqual([
      [20, 23],
      [3, 23],
    ]);
    expect(server.requests[0]!.url.searchParams.get('dept')).toBe('R&D');
    expect(server.requests[0]!.url.searchParams.get('status')).toBe('active');
  });

  it('warns when the configured total is absent, and stops on the short page', async () => {
    const server = await provider(paged((slice) => ({ body: slice })));
    const pages = await readAll(
      listUserPages(
        config(server.url, { totalCountSource: 'HEADER', totalCountLocation: 'X-Total' }),
        apiKey,
        policy,
      ),
    );
    expect(pages).toHaveLength(3);
    expect(pages[0]!.warnings).toEqual(['The total count header X-Total was missing or not a number']);
  });

  it('stops, and says why, when the provider ignores the offset', async () => {
    const server = await provider((_, response) => sendJson(response, 200, people.slice(0, 10)));
    const pages = await readAll(listUserPages(config(server.url), apiKey, policy));
    expect(pages.map((p) => p.users.length)).toEqual([10, 0]);
    expect(pages[1]!.warnings[0]).toMatch(/seems to ignore the "offset" parameter/);
  });

  it('waits as Retry-After says on 429, and retries 5xx until the provider recovers', async () => {
    let calls = 0;
    const server = await provider((_, response) => {
      calls += 1;
      if (calls === 1) return sendJson(response, 429, { error: 'slow down' }, { 'Retry-After': '1' });
      if (calls <= 3) return sendJson(response, 500, { error: 'oops' });
      return sendJson(response, 200, people.slice(0, 5));
    });
    const started = Date.now();
    const page = await fetchUserPage(config(server.url), apiKey, policy, 0);
    expect(page.users).toHaveLength(5);
    expect(page.response.attempts).toBe(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('gives up after the retries with the provider’s status and body', async () => {
    const server = await provider((_, response) =>
      sendJson(response, 503, { error: 'maintenance until 5pm' }),
    );
    const failure = fetchUserPage(config(server.url), apiKey, { ...policy, retries: 2 }, 0);
    await expect(failure).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: expect.stringMatching(/^The provider answered HTTP 503 to GET http/),
      extensions: { status: 503, body: '{"error":"maintenance until 5pm"}' },
    });
    expect(server.requests).toHaveLength(3);
  });

  it('refuses an answer that is not JSON, naming the content type and showing its start', async () => {
    const server = await provider((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Please log in</body></html>');
    });
    await expect(fetchUserPage(config(server.url), apiKey, policy, 0)).rejects.toThrow(
      'The provider answered text/html instead of JSON: <html><body>Please log in</body></html>',
    );
  });

  it('names the resource location and what was there when it is not an array', async () => {
    const server = await provider((_, response) => sendJson(response, 200, { users: { count: 3 } }));
    await expect(
      fetchUserPage(config(server.url, { resourceLocation: 'users' }), apiKey, policy, 0),
    ).rejects.toThrow(
      'Expected an array of users at the resource location "users", found an object: {"count":3}',
    );
  });

  it('times out on a provider that never answers', async () => {
    const server = await provider(() => new Promise(() => undefined));
    await expect(
      fetchUserPage(config(server.url), apiKey, { ...policy, timeoutMs: 300, retries: 0 }, 0),
    ).rejects.toThrow(/^The provider did not answer within 0.3 s/);
  });

  it('refuses an answer over the size cap', async () => {
    const server = await provider((_, response) => sendJson(response, 200, [{ blob: 'x'.repeat(100_000) }]));
    await expect(
      fetchUserPage(config(server.url), apiKey, { ...policy, maxResponseBytes: 10_000 }, 0),
    ).rejects.toThrow(/larger than 10000 bytes/);
  });

  it('does not send the credentials along a redirect to another origin', async () => {
    const other = await provider((_, response) => sendJson(response, 200, []));
    const first = await provider((_, response) => {
      response.writeHead(302, { location: `${other.url}/moved` });
      response.end();
    });
    await fetchUserPage(
      config(first.url),
      { headers: async () => ({ 'X-HR-Key': 'k', authorization: 'Bearer t' }) },
      policy,
      0,
    );
    expect(other.requests[0]!.headers['x-hr-key']).toBeUndefined();
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe('the SSRF guard', () => {
  const guarded: HttpPolicy = { ...policy, allowPrivateNetwork: false, retries: 0 };
  it.each([
    ['http://127.0.0.1:9/x', 'a loopback address'],
    ['http://10.1.2.3/x', 'a private network address'],
    ['http://192.168.0.10/x', 'a private network address'],
    ['http://169.254.169.254/latest/meta-data', 'a link-local address'],
    ['http://[::1]/x', 'a loopback address'],
    ['http://[fd00:ec2::254]/x', 'a private IPv6 (unique local) address'],
    ['http://[::ffff:127.0.0.1]/x', 'a loopback address'],
    ['http://localhost:9/x', 'a loopback address'],
    ['http://2130706433/x', 'a loopback address'],
    ['http://0x7f.1/x', 'a loopback address'],
    ['http://0/x', 'an unspecified address'],
    ['http://[::]/x', 'an unspecified address'],
    ['http://172.16.5.4/x', 'a private network address'],
    ['http://100.64.0.1/x', 'a carrier-grade NAT address'],
    ['http://[fe80::1]/x', 'a link-local address'],
    ['http://[::ffff:169.254.169.254]/x', 'a link-local address'],
    ['http://[fc00::1]/x', 'a private IPv6 (unique local) address'],
  ])('refuses %s', async (baseUrl, reason) => {
    await expect(fetchUserPage(config(baseUrl), apiKey, guarded, 0)).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining(`is ${reason}`),
    });
  });

  describe('with a private host on the allowlist', () => {
    const allowing: HttpPolicy = { ...guarded, privateAllowlist: ['LOCALHOST'] };
    const redirecting = (location: string) =>
      provider(({ url }, response) => {
        if (url.pathname === '/employees') {
          response.writeHead(302, { location }).end();
          return;
        }
        sendJson(response, 200, people.slice(0, 2));
      });

    it('reaches that host, by name, and only it', async () => {
      const hr = await redirecting('/elsewhere');
      const { port } = new URL(hr.url);
      const page = await fetchUserPage(
        config(`http://localhost:${port}`, { path: '/people' }),
        apiKey,
        allowing,
        0,
      );
      expect(page.users).toHaveLength(2);
      await expect(fetchUserPage(config(hr.url), apiKey, allowing, 0)).rejects.toMatchObject({
        message: expect.stringContaining('127.0.0.1 is a loopback address'),
      });
    });

    it.each([
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['http://10.0.0.1/admin', '10.0.0.1 is a private network address'],
      ['http://127.0.0.1:9/', '127.0.0.1 is a loopback address'],
      ['http://[::1]:9/', '::1 is a loopback address'],
      ['http://[fd00::1]/', 'fd00::1 is a private IPv6 (unique local) address'],
    ])('refuses a redirect to %s, saying why', async (location, reason) => {
      const hr = await redirecting(location);
      const { port } = new URL(hr.url);
      await expect(
        fetchUserPage(config(`http://localhost:${port}`), apiKey, allowing, 0),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining(reason) });
      expect(hr.requests).toHaveLength(1);
    });
  });
});

describe('the SSRF guard on host names', () => {
  /** A resolver with names of our own; `rebind.test` answers a public address once, then loopback. */
  const answers: Record<string, string[]> = {
    'intranet.test': ['10.1.2.3'],
    'metadata.test': ['169.254.169.254'],
    'carrier.test': ['100.64.0.7'],
    'loopback6.test': ['::1'],
    'ula.test': ['fd12:3456::1'],
    'linklocal6.test': ['fe80::1'],
    'mapped.test': ['::ffff:10.0.0.1'],
    'mixed.test': ['93.184.216.34', '192.168.1.20'],
    'public.test': ['93.184.216.34'],
  };
  let rebinds = 0;
  const resolver: HostResolver = async (host) => {
    const addresses =
      host === 'rebind.test' ? [rebinds++ === 0 ? '93.184.216.34' : '127.0.0.1'] : answers[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const guarded: HttpPolicy = { ...policy, allowPrivateNetwork: false, retries: 0, resolver };

  it.each([
    ['intranet.test', '10.1.2.3', 'a private network address'],
    ['metadata.test', '169.254.169.254', 'a link-local address'],
    ['carrier.test', '100.64.0.7', 'a carrier-grade NAT address'],
    ['loopback6.test', '::1', 'a loopback address'],
    ['ula.test', 'fd12:3456::1', 'a private IPv6 (unique local) address'],
    ['linklocal6.test', 'fe80::1', 'a link-local address'],
    ['mapped.test', '::ffff:10.0.0.1', 'a private network address'],
    ['mixed.test', '192.168.1.20', 'a private network address'],
  ])('refuses %s (%s) when saved and when connecting, saying why', async (host, address, reason) => {
    const url = `http://${host}/api`;
    const refusal = {
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining(`${host} (${address}) is ${reason}`),
    };
    await expect(assertPublicTarget(new URL(url), [], resolver)).rejects.toMatchObject(refusal);
    await expect(fetchUserPage(config(url), apiKey, guarded, 0)).rejects.toMatchObject(refusal);
  });

  it('lets a public name through the save-time check', async () => {
    await expect(
      assertPublicTarget(new URL('https://public.test/api'), [], resolver),
    ).resolves.toBeUndefined();
  });

  it('refuses a name that resolved to a public address when saved and to loopback when connecting', async () => {
    rebinds = 0;
    const url = 'http://rebind.test:9/api';
    await expect(assertPublicTarget(new URL(url), [], resolver)).resolves.toBeUndefined();
    await expect(fetchUserPage(config(url), apiKey, guarded, 0)).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('rebind.test (127.0.0.1) is a loopback address'),
    });
  });

  it('refuses a redirect to a name that resolves into a private range', async () => {
    const hr = await provider((_, response) => {
      response.writeHead(302, { location: 'http://metadata.test/latest/meta-data/' }).end();
    });
    const allowing: HttpPolicy = { ...guarded, privateAllowlist: ['127.0.0.1'] };
    await expect(fetchUserPage(config(hr.url), apiKey, allowing, 0)).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('metadata.test (169.254.169.254) is a link-local address'),
    });
    expect(hr.requests).toHaveLength(1);
  });
});

describe('guardedFetch, for OAuth token calls', () => {
  it('sends the form, follows no redirect, and refuses a private target when guarded', async () => {
    const token = await provider(({ url }, response) => {
      if (url.pathname === '/token') sendJson(response, 200, { access_token: 'at', token_type: 'Bearer' });
      else response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    });
    const open = guardedFetch(policy);
    const form = new URLSearchParams({ grant_type: 'authorization_code', code: 'c' });
    const answer = await open(`${token.url}/token`, { method: 'POST', body: form });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ access_token: 'at', token_type: 'Bearer' });
    expect(token.requests[0]!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const moved = await open(`${token.url}/moved`, { method: 'POST', body: form });
    expect(moved.status).toBe(302);
    expect(token.requests).toHaveLength(2);
    const guardedOpen = guardedFetch({ ...policy, allowPrivateNetwork: false });
    await expect(guardedOpen(`${token.url}/token`, { method: 'POST', body: form })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('127.0.0.1 is a loopback address'),
    });
  });
});

describe('a real REST server from the npm registry (json-server 0.17)', () => {
  it('is read page by page with _start/_limit and X-Total-Count', async () => {
    const jsonServer = createRequire(import.meta.url)('json-server') as {
      create(): { use(h: unknown): void; listen(port: number, host: string, cb: () => void): Server };
      router(db: object): unknown;
      defaults(options: object): unknown;
    };
    const app = jsonServer.create();
    app.use(jsonServer.defaults({ logger: false }));
    app.use(jsonServer.router({ employees: people }));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const listing = config(`http://127.0.0.1:${port}`, {
        limitParam: '_limit',
        offsetParam: '_start',
        totalCountSource: 'HEADER',
        totalCountLocation: 'X-Total-Count',
        pageSize: 7,
      });
      const pages = await readAll(listUserPages(listing, apiKey, policy));
      expect(pages.flatMap((p) => p.users)).toEqual(people);
      expect(pages.map((p) => p.total)).toEqual([23, 23, 23, 23]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
