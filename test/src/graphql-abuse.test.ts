import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import { createConnection } from 'mysql2/promise';
import WebSocket from 'ws';
import { dataOf, EMPLOYEE_MAPPING, type HrProvider } from '@uif/testing';
import { gatewayConfigSchema, startGateway, type RunningGateway } from '@uif/gateway';
import { createLogger, parseConfig } from '@uif/runtime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const run = promisify(execFile);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Requests per API key and minute on this gateway: more than the other tests here make with one key. */
const RATE_LIMIT = 400;
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { activeConnector, dashboard, employee, runImport, startHr, type Employee } from './import-helpers.js';

/** Nothing a client sees may show how the server is built: no stack, no SQL, no file paths. */
function expectNoInternals(body: string): void {
  expect(body).not.toMatch(/\bat .+\.(js|ts):\d+/);
  expect(body).not.toMatch(/stacktrace/i);
  expect(body).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b/);
  expect(body).not.toMatch(/\bER_[A-Z_]+|QueryFailedError|sqlMessage/);
  expect(body).not.toContain('/work/');
}

async function post(federation: Federation, org: TestOrganization, body: unknown) {
  const response = await fetch(`${federation.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': org.apiKey, 'x-org-id': org.id },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('GraphQL abuse, on a gateway configured for production', () => {
  let federation: Federation;
  let second: RunningGateway;
  let org: TestOrganization;
  beforeAll(async () => {
    federation = await startFederation({
      gatewayEnv: {
        INTROSPECTION: 'false',
        EXPLORER: 'false',
        MAX_QUERY_DEPTH: '4',
        MAX_QUERY_COST: '5000',
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
        REDIS_URL,
      },
    });
    org = await federation.newOrganization();
    // Another gateway process on the same subgraphs and Redis, as a scaled-out deployment runs them.
    second = await startGateway(
      parseConfig('gateway', gatewayConfigSchema, {
        PORT: '0',
        HOST: '127.0.0.1',
        INTERNAL_SECRET: federation.secret,
        DIRECTORY_URL: federation.directory.url,
        CONNECTOR_URL: federation.connector.url,
        IMPORT_URL: federation.imports.url,
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
        REDIS_URL,
      }),
      { log: createLogger({ name: 'second-gateway', level: 'silent' }) },
    );
  });
  afterAll(async () => {
    await second?.stop();
    await federation?.stop();
  });

  it('refuses introspection, with the explorer and its assets gone', async () => {
    const answer = await org.query('{ __schema { types { name } } }');
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await fetch(`${federation.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('graphiql');
    // The assets the explorer page loads when it is on (federation.test.ts fetches them there).
    for (const asset of ['graphiql.js', 'graphiql.css']) {
      const answer = await fetch(`${federation.gateway.url}/explorer-assets/${asset}`);
      expect(answer.status, asset).toBe(404);
    }
  });

  it('refuses an operation deeper than MAX_QUERY_DEPTH before running it', async () => {
    const deep = await org.query(
      '{ importJobs { connector { importJobs { connector { importJobs { id } } } } } }',
    );
    expect(deep.data ?? null).toBeNull();
    expect(deep.errors?.[0]?.message).toMatch(/exceeds maximum operation depth of 4/);
    const shallow = await org.query('{ importJobs { connector { id } } }');
    expect(dataOf(shallow)).toEqual({ importJobs: [] });
  });

  it('refuses thousands of aliases and a costly list by cost, not by running them', async () => {
    const aliases = Array.from({ length: 2500 }, (_, i) => `a${i}: organization { id name }`).join(' ');
    const many = await org.query(`{ ${aliases} }`);
    expect(many.data ?? null).toBeNull();
    expect(many.errors?.[0]?.message).toMatch(/^The query costs \d+, more than the limit of 5000/);
    const page = 'users(first: 500) { nodes { id addresses { type } phoneNumbers { type } } }';
    const costly = await org.query(`{ a: ${page} b: ${page} }`);
    expect(costly.errors?.[0]?.message).toMatch(/more than the limit of 5000/);
  });

  describe('a mapping path that would freeze the services', () => {
    /** A filter that backtracks catastrophically on "aaaa…a!": 24 characters took 115 ms, ×4 per 2 more. */
    const BACKTRACKING = '$[?(/^(a+)+$/.test(@.n))].n';
    const SET =
      'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { id } }';
    const withTitle = (sourcePath: string) => ({
      ...EMPLOYEE_MAPPING,
      entries: [...EMPLOYEE_MAPPING.entries, { target: 'JOB_TITLE', sourcePath }],
    });
    let hr: HrProvider;
    let connectorId: string;
    beforeAll(async () => {
      hr = await startHr([{ ...employee(1), n: `${'a'.repeat(40)}!` } as Employee]);
      connectorId = await activeConnector(org, hr.url);
    });
    afterAll(() => hr?.close());

    it('is refused at save, naming the entry: a backtracking filter and a 100 KB path', async () => {
      const backtracking = await org.query(SET, { id: connectorId, m: withTitle(BACKTRACKING) });
      expect(backtracking.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^input\.entries\.5\.sourcePath has a regular expression/),
        extensions: { code: 'BAD_USER_INPUT', fields: ['input.entries.5.sourcePath'] },
      });
      const started = performance.now();
      const long = await org.query(SET, { id: connectorId, m: withTitle(`$${'.a'.repeat(50_000)}`) });
      expect(long.errors?.[0]).toMatchObject({
        message: 'input.entries.5.sourcePath is 100001 characters long; a path may have at most 500',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(performance.now() - started).toBeLessThan(1_000);
    });

    it('stored before the guard existed, fails the import and the preview with the reason, stalling nothing', async () => {
      const repository = federation.connector.dataSource.getRepository('connectors');
      const stored = (await repository.findOneByOrFail({ id: connectorId })) as { mapping: object };
      await repository.update(
        { id: connectorId },
        { mapping: { ...stored.mapping, ...withTitle(BACKTRACKING) } },
      );
      const reason = /JOB_TITLE: \$\[\?\(\/\^\(a\+\)\+\$\/\.test\(@\.n\)\)\]\.n has a regular expression/;
      const started = performance.now();
      const job = await runImport(org, { connectorId, operations: ['USER_CREATE'] });
      expect(job).toMatchObject({ status: 'FAILED', error: expect.stringMatching(reason) });
      const preview = await org.query('query ($id: ID!) { mappedUserPreview(connectorId: $id) { errors } }', {
        id: connectorId,
      });
      expect(preview.errors?.[0]?.message).toMatch(reason);
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  });

  describe('an API key revoked while it streams', () => {
    const PROGRESS = 'subscription ($id: ID!) { importJobProgress(jobId: $id) { jobId phase } }';
    let hr: HrProvider;
    let jobId: string;
    beforeAll(async () => {
      hr = await startHr([employee(1), employee(2)]);
      const connectorId = await activeConnector(org, hr.url);
      // Pages that take long keep the job running, and its progress subscriptions open.
      hr.delayPages(20_000);
      const { startImport } = dataOf(
        await org.query<{ startImport: { id: string } }>(
          'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
          { input: { connectorId, operations: ['USER_CREATE'] } },
        ),
      );
      jobId = startImport.id;
    });
    afterAll(() => hr?.close());

    /** `pnpm keys …` against this federation's database, telling its gateway. */
    async function keys(...args: string[]): Promise<string> {
      const { stdout } = await run('node', ['services/directory/dist/cli/keys.js', ...args], {
        cwd: new URL('../..', import.meta.url),
        env: {
          ...process.env,
          DATABASE_URL: federation.importEnv.DATABASE_URL,
          DATA_DIR: federation.importEnv.DATA_DIR,
          INTERNAL_SECRET: federation.secret,
          GATEWAY_URL: federation.gateway.url,
        },
      });
      return stdout;
    }

    function socket(apiKey: string, gateway = federation.gateway.url) {
      const closed = { code: 0 };
      const client = createClient({
        url: gateway.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { 'x-api-key': apiKey, 'x-org-id': org.id },
        retryAttempts: 0,
        lazy: false,
        // A refused socket is expected here, and read from `closed`.
        onNonLazyError: () => undefined,
        on: { closed: (event) => (closed.code = (event as { code: number }).code) },
      });
      /** Subscribes; resolves with the first error, or null while the subscription stays open. */
      const subscribe = (waitMs = 300) =>
        new Promise<unknown>((resolve) => {
          client.subscribe(
            { query: PROGRESS, variables: { id: jobId } },
            { next: () => undefined, error: resolve, complete: () => resolve('completed') },
          );
          setTimeout(() => resolve(null), waitMs);
        });
      return { client, closed, subscribe };
    }

    it('holds at most 50 subscriptions on one socket', async () => {
      const { client, subscribe } = socket(org.apiKey);
      try {
        const answers = await Promise.all(Array.from({ length: 50 }, () => subscribe(1_000)));
        expect(answers.filter(Boolean)).toEqual([]);
        const refused = (await subscribe()) as { message: string; extensions: { code: string } }[];
        expect(refused[0]).toMatchObject({
          message: expect.stringMatching(/^A connection may hold at most 50 subscriptions at once/),
          extensions: { code: 'BAD_REQUEST' },
        });
      } finally {
        await client.dispose();
      }
    });

    it('closes its sockets at once (4403), refuses its new subscriptions, and never prints a key again', async () => {
      const apiKey = (await keys('create', '--org', org.id, '--label', 'Wallboard'))
        .trim()
        .split('\n')
        .pop()!;
      const wallboard = socket(apiKey);
      const elsewhere = socket(apiKey, second.url);
      const other = socket(org.apiKey);
      try {
        expect(await wallboard.subscribe()).toBeNull();
        expect(await elsewhere.subscribe()).toBeNull();
        expect(await other.subscribe()).toBeNull();
        const listed = await keys('list', '--org', org.id);
        expect(listed).toMatch(/"Wallboard" +\S+ +live/);
        expect(listed).not.toContain(apiKey);

        const revoked = await keys('revoke', '--org', org.id, '--label', 'Wallboard');
        expect(revoked).toMatch(/"Wallboard" +\S+ +revoked /);
        expect(revoked).toContain('dropped the key and closed its connections');
        expect(revoked).not.toContain(apiKey);
        await vi.waitFor(() => expect(wallboard.closed.code).toBe(4403), { timeout: 2_000 });
        // The gateway told passed it on through Redis to the other gateway process.
        await vi.waitFor(() => expect(elsewhere.closed.code).toBe(4403), { timeout: 2_000 });
        expect(other.closed.code, 'another key’s socket stays open').toBe(0);

        const again = socket(apiKey);
        await again.subscribe();
        await vi.waitFor(() => expect(again.closed.code).toBe(4403), { timeout: 2_000 });
        await again.client.dispose();
        expect(dataOf(await org.query('{ organization { id } }'))).toEqual({ organization: { id: org.id } });
        const refused = await federation.client(apiKey, org.id)('{ organization { id } }');
        expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      } finally {
        await Promise.all([wallboard, elsewhere, other].map(({ client }) => client.dispose()));
      }
    });
  });

  describe('fields that call a provider', () => {
    let hr: HrProvider;
    let connectorId: string;
    beforeAll(async () => {
      hr = await startHr([employee(1)]);
      connectorId = await activeConnector(org, hr.url);
    });
    afterAll(() => hr?.close());

    it('refuses 1,000 aliases of testConnection before any provider request', async () => {
      const before = hr.requests.length;
      const aliases = Array.from(
        { length: 1000 },
        (_, i) => `t${i}: testConnection(connectorId: $id) { ok }`,
      );
      const answer = await org.query(`mutation ($id: ID!) { ${aliases.join(' ')} }`, { id: connectorId });
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.[0]).toMatchObject({
        message: expect.stringMatching(
          /^The operation asks the provider 1000 times .*; at most 4 per operation$/,
        ),
        extensions: { code: 'TOO_MANY_PROVIDER_CALLS' },
      });
      const viaFragments = await org.query(
        `query ($id: ID!) { ...a ...a2 } fragment a on Query { a: importCandidates(connectorId: $id) { totalCount } b: userSchemaPreview(connectorId: $id) { fields { path } } c: mappedUserPreview(connectorId: $id) { errors } } fragment a2 on Query { d: importCandidates(connectorId: $id) { totalCount } e: importCandidates(connectorId: $id) { totalCount } }`,
        { id: connectorId },
      );
      expect(viaFragments.errors?.[0]?.extensions?.code).toBe('TOO_MANY_PROVIDER_CALLS');
      expect(hr.requests.length).toBe(before);
      const four = Array.from({ length: 4 }, (_, i) => `t${i}: testConnection(connectorId: $id) { ok }`);
      expect(
        dataOf(await org.query(`mutation ($id: ID!) { ${four.join(' ')} }`, { id: connectorId })),
      ).toEqual(Object.fromEntries(four.map((_, i) => [`t${i}`, { ok: true }])));
    });

    it('lets an organization run at most 4 provider calls at once', async () => {
      hr.delayPages(1_000);
      try {
        const TEST = 'mutation ($id: ID!) { testConnection(connectorId: $id) { ok } }';
        const answers = await Promise.all(
          Array.from({ length: 6 }, () => org.query(TEST, { id: connectorId })),
        );
        const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'ok');
        expect(codes.filter((code) => code === 'ok')).toHaveLength(4);
        expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(2);
      } finally {
        hr.delayPages(0);
      }
    });
  });

  it('rate-limits each API key across gateway processes sharing Redis, with 429 and Retry-After', async () => {
    const busy = await federation.newOrganization();
    const calm = await federation.newOrganization();
    const ask = (gateway: string, who: TestOrganization) =>
      fetch(`${gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': who.apiKey, 'x-org-id': who.id },
        body: JSON.stringify({ query: '{ organization { id } }' }),
      });
    // Half of the key's minute on each gateway: together they spend it.
    for (let i = 0; i < RATE_LIMIT; i += 1) {
      const answer = await ask(i % 2 ? second.url : federation.gateway.url, busy);
      expect(answer.status).toBe(200);
    }
    const refused = await ask(second.url, busy);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({
      message: expect.stringMatching(
        /^This API key made more than 400 requests in a minute: try again in \d+ s$/,
      ),
      extensions: { code: 'RATE_LIMITED' },
    });
    expect((await ask(federation.gateway.url, busy)).status).toBe(429);
    expect((await ask(federation.gateway.url, calm)).status, 'another key is not limited').toBe(200);

    // A subscription is an operation too: the spent key's is refused, the socket stays open.
    const subscribeAs = async (who: TestOrganization) => {
      const client = createClient({
        url: second.url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { 'x-api-key': who.apiKey, 'x-org-id': who.id },
        retryAttempts: 0,
      });
      try {
        return await new Promise<{ extensions?: { code?: string } }[]>((resolve) =>
          client.subscribe(
            { query: 'subscription { importJobProgress(jobId: "no-such-job") { jobId } }' },
            {
              next: () => undefined,
              error: (errors) => resolve(errors as never),
              complete: () => resolve([]),
            },
          ),
        );
      } finally {
        await client.dispose();
      }
    };
    expect((await subscribeAs(busy))[0]).toMatchObject({
      message: expect.stringMatching(/^This API key made more than 400 requests in a minute/),
      extensions: { code: 'RATE_LIMITED' },
    });
    expect((await subscribeAs(calm)).map((error) => error.extensions?.code)).not.toContain('RATE_LIMITED');
  });

  it('refuses batched operations, oversized bodies and malformed JSON, saying so without internals', async () => {
    const batch = await post(federation, org, [
      { query: '{ organization { id } }' },
      { query: '{ connectors { id } }' },
    ]);
    expect(batch.status).toBe(400);
    expect(batch.text).toMatch(/batching/i);
    const huge = await post(federation, org, {
      query: `{ organization { id } } # ${'x'.repeat(2 * 1024 * 1024)}`,
    });
    expect(huge.status).toBe(413);
    const malformed = await post(federation, org, '{"query": "{ organization { id }"');
    expect(malformed.status).toBe(400);
    for (const answer of [batch, huge, malformed]) expectNoInternals(answer.text);
  });

  it('refuses queries and introspection over the WebSocket: it serves subscriptions only', async () => {
    const client = dashboard(federation, org);
    try {
      for (const query of ['{ __schema { types { name } } }', '{ organization { id } }']) {
        const errors = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query },
            { next: (r) => resolve(r.errors), error: resolve, complete: () => resolve(null) },
          );
        });
        expect(JSON.stringify(errors)).toContain('Only subscriptions are served over WebSocket');
      }
    } finally {
      await client.dispose();
    }
  });
});

describe('an unexpected failure inside a subgraph', () => {
  let federation: Federation;
  beforeAll(async () => {
    federation = await startFederation();
  });
  afterAll(() => federation?.stop());

  it('reaches the client masked, and the log with its cause and request', async () => {
    const org = await federation.newOrganization();
    const hr = await startHr([employee(1)]);
    try {
      const connectorId = await activeConnector(org, hr.url);
      // Break the import service's storage under it: the next read fails with an SQL error.
      const database = await createConnection(federation.importEnv.DATABASE_URL);
      await database.query('RENAME TABLE import_schedules TO import_schedules_away');
      await database.end();
      const answer = await post(federation, org, {
        query: 'query ($id: ID!) { connector(id: $id) { displayLabel importSchedule { enabled } } }',
        variables: { id: connectorId },
      });
      const body = JSON.parse(answer.text) as {
        data: { connector: { displayLabel: string } | null } | null;
        errors: { message: string; extensions: { code: string } }[];
      };
      expect(body.errors[0]).toMatchObject({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expectNoInternals(answer.text);
      const logged = federation.logs.filter((line) => line.includes('import_schedules'));
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.some((line) => /"level":(50|"error")/.test(line))).toBe(true);
    } finally {
      await hr.close();
    }
  });
});
