import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import {
  dataOf,
  EMPLOYEE_MAPPING,
  employee,
  mapAndActivate,
  scimUsers,
  startHrProvider,
  startScimmyProvider,
  sendJson,
  startSmtpMailbox,
  startTestServer,
  type HrProvider,
  type ScimProvider,
  type ScimUser,
  type SmtpMailbox,
  type TestServer,
} from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { activeScimConnector, runImport, startImportNow, type FinishedJob } from './import-helpers.js';
import { authorizeInBrowser } from './oauth-browser.js';
import { CLIENT_SECRET, startAuthorizationServer } from './oauth-server.js';

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const HR_KEY = secret('hr-key');
const HR_KEY_REPLACED = secret('hr-key-old');
const ECHO_KEY = secret('echo-key');
const ECHO_TENANT = secret('echo-tenant');
const ECHO_BASIC_PASSWORD = secret('echo-basic-pass');
const SCIM_TOKEN = secret('scim-token');
const SMTP_PASSWORD = secret('smtp-pass');
const BASIC_PASSWORD = secret('basic-pass');
const EXTRA_HEADER = secret('tenant-key');
const SECRET_KEY = randomBytes(32).toString('hex');
const WRONG_API_KEY = secret('uif_wrong');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE = `uif-secrets-${randomBytes(4).toString('hex')}`;

/** Every row of every table of the run's database, as text. */
async function databaseText(url: string): Promise<string> {
  const database = await createConnection(url);
  try {
    const [tables] = await database.query<(RowDataPacket & { name: string })[]>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
    );
    const dumps = await Promise.all(
      tables.map(async ({ name }) => {
        const [rows] = await database.query(`SELECT * FROM \`${name}\``);
        return `${name}: ${JSON.stringify(rows, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('latin1') : value))}`;
      }),
    );
    return dumps.join('\n');
  } finally {
    await database.end();
  }
}

/** Every command any client sends Redis while it runs (MONITOR), as text. */
async function monitorRedis(): Promise<{ commands: string[]; stop(): Promise<void> }> {
  const client = new Redis(REDIS_URL, { lazyConnect: true });
  const monitor = await client.monitor();
  const commands: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => commands.push(args.join(' ')));
  return {
    commands,
    async stop() {
      monitor.disconnect();
      client.disconnect();
    },
  };
}

/** Every key the run's queue left in Redis, with its value, as text. */
async function redisText(): Promise<string> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`*${QUEUE}*`);
    const readers: Record<string, (key: string) => Promise<unknown>> = {
      string: (key) => redis.get(key),
      hash: (key) => redis.hgetall(key),
      list: (key) => redis.lrange(key, 0, -1),
      zset: (key) => redis.zrange(key, 0, -1),
      set: (key) => redis.smembers(key),
      stream: (key) => redis.xrange(key, '-', '+'),
    };
    const values = await Promise.all(
      keys.map(async (key) => {
        const type = await redis.type(key);
        return `${key}: ${JSON.stringify(await (readers[type]?.(key) ?? type))}`;
      }),
    );
    return values.join('\n');
  } finally {
    redis.disconnect();
  }
}

/**
 * A full run with every kind of secret (API key, bearer and SCIM tokens, OAuth client secret and the
 * tokens it earns, the SMTP password, API keys, the internal and encryption keys), then a search for
 * each in everything the system said or kept: found nowhere.
 */
describe('secrets, across a full run', () => {
  let federation: Federation;
  let mailbox: SmtpMailbox;
  let hr: HrProvider;
  let basicHr: HrProvider;
  /** A provider with a debugging endpoint: once `echoing`, it answers with the request's headers. */
  let echo: TestServer;
  let echoing = false;
  /** What the system quoted of the echoing provider: the test, the preview, the failed job. */
  const echoed: { test?: unknown; preview?: unknown; job?: FinishedJob; basicTest?: unknown } = {};
  let scim: ScimProvider<ScimUser>;
  let auth: Awaited<ReturnType<typeof startAuthorizationServer>>;
  let org: TestOrganization;
  let redis: Awaited<ReturnType<typeof monitorRedis>>;
  /** Every GraphQL answer and downloaded file the run received. */
  const answers: string[] = [];
  /** Everything printed to the console or written to stdout/stderr by any library during the run. */
  const printed: string[] = [];
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))),
    ),
    ...[process.stdout, process.stderr].map((stream) => {
      const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
      // The text is kept, and the original write still prints it (with its encoding and callback).
      const keep = (...args: unknown[]) => {
        printed.push(String(args[0]));
        return write(...args);
      };
      return vi.spyOn(stream, 'write').mockImplementation(keep as typeof stream.write);
    }),
  ];

  beforeAll(async () => {
    mailbox = await startSmtpMailbox({ logins: { mailer: SMTP_PASSWORD } });
    redis = await monitorRedis();
    // Jobs and progress through Redis, as a scaled-out deployment runs them.
    federation = await startFederation({
      connectorEnv: { SECRET_KEY },
      importEnv: {
        SMTP_URL: mailbox.url.replace('smtp://', `smtp://mailer:${SMTP_PASSWORD}@`),
        REDIS_URL,
        IMPORT_QUEUE_NAME: QUEUE,
      },
    });
    hr = await startHrProvider({
      users: [employee(1), employee(2), employee(3)],
      total: { header: 'X-Total-Count' },
      authorize: (headers) => headers['x-hr-key'] === HR_KEY,
    });
    basicHr = await startHrProvider({
      users: [employee(11), employee(12), employee(13)],
      total: { header: 'X-Total-Count' },
      authorize: (headers) =>
        headers.authorization === `Basic ${Buffer.from(`sync:${BASIC_PASSWORD}`).toString('base64')}` &&
        headers['x-tenant-key'] === EXTRA_HEADER,
    });
    scim = await startScimmyProvider({ users: scimUsers(3), token: SCIM_TOKEN });
    echo = await startTestServer(({ headers }, response) => {
      if (!echoing) return sendJson(response, 200, [employee(4), employee(5)]);
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(
        Object.entries(headers)
          .map(([name, value]) => `${name}: ${String(value)}`)
          .join('\n'),
      );
    });
    auth = await startAuthorizationServer(`${federation.gateway.url}/oauth/callback`);
    const created = await federation.newOrganization();
    org = {
      ...created,
      query: async <Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => {
        const answer = await created.query<Data>(query, variables);
        answers.push(JSON.stringify(answer));
        return answer;
      },
    };
    dataOf(
      await org.query(
        'mutation { updateOrganizationSettings(input: { notificationEmails: ["it@acme.example"] }) { id } }',
      ),
    );
    await runEveryKindOfConnector();
  }, 120_000);
  afterAll(async () => {
    await Promise.all([hr?.close(), basicHr?.close(), scim?.close(), auth?.close(), echo?.close()]);
    await federation?.stop();
    await mailbox?.close();
    await redis?.stop();
    for (const spy of spies) spy.mockRestore();
  });

  const CONNECTOR_FIELDS =
    'id kind state baseUrl authMethod authSummary authorized listUsers { path } mapping { externalIdPath }';

  async function customApi(
    authInput: Record<string, unknown>,
    baseUrl: string,
    path: string,
    extraHeaders: { name: string; value: string }[] = [],
  ) {
    const { createCustomApiConnector } = dataOf(
      await org.query<{ createCustomApiConnector: { id: string } }>(
        `mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { ${CONNECTOR_FIELDS} } }`,
        {
          input: {
            displayLabel: 'HR',
            baseUrl,
            auth: authInput,
            listUsers: {
              path,
              resourceLocation: '.',
              totalCountSource: 'NONE',
              limitParam: 'limit',
              offsetParam: 'offset',
              extraHeaders,
            },
          },
        },
      ),
    );
    return createCustomApiConnector.id;
  }

  async function mapTestActivateImport(id: string): Promise<void> {
    const SET =
      'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { id } }';
    dataOf(await org.query(SET, { id, m: EMPLOYEE_MAPPING }));
    await org.query(
      'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message providerResponse } }',
      { id },
    );
    dataOf(await org.query('mutation ($id: ID!) { activateConnector(connectorId: $id) { state } }', { id }));
    const job = await runImport(org, { connectorId: id, operations: ['USER_CREATE', 'USER_UPDATE'] });
    if (job.resultsDownloadUrl) answers.push(await (await fetch(job.resultsDownloadUrl)).text());
  }

  async function runEveryKindOfConnector(): Promise<void> {
    // An API key, first a wrong one (a failed test shows the provider's answer), then the right one.
    const apiKey = await customApi(
      { apiKey: { headerName: 'X-HR-Key', headerValue: HR_KEY_REPLACED } },
      hr.url,
      '/employees',
    );
    await org.query(
      'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message providerResponse } }',
      {
        id: apiKey,
      },
    );
    await org.query(
      `mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { ${CONNECTOR_FIELDS} } }`,
      { id: apiKey, input: { auth: { apiKey: { headerName: 'X-HR-Key', headerValue: HR_KEY } } } },
    );
    await mapTestActivateImport(apiKey);

    // A provider that echoes the request's headers, the API key among them, into every answer.
    const echoId = await customApi(
      { apiKey: { headerName: 'X-Echo-Key', headerValue: ECHO_KEY } },
      echo.url,
      '/employees',
      [{ name: 'X-Echo-Tenant', value: ECHO_TENANT }],
    );
    const echoBasicId = await customApi(
      { basic: { username: 'echo', password: ECHO_BASIC_PASSWORD } },
      echo.url,
      '/employees',
    );
    await mapAndActivate(org.query, echoId, EMPLOYEE_MAPPING);
    echoing = true;
    echoed.test = await org.query(
      'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message providerResponse } }',
      { id: echoId },
    );
    echoed.preview = await org.query('query ($id: ID!) { userSchemaPreview(connectorId: $id) { sample } }', {
      id: echoId,
    });
    echoed.job = await runImport(org, { connectorId: echoId, operations: ['USER_CREATE'] });
    echoed.basicTest = await org.query(
      'mutation ($id: ID!) { testConnection(connectorId: $id) { ok providerResponse } }',
      { id: echoBasicId },
    );

    // OAuth 2.0: authorized in a browser, used, renewed, then revoked by deactivation.
    const oauth = await customApi(
      {
        oauth2: {
          ...auth.urls,
          clientId: 'uif-short-lived',
          clientSecret: CLIENT_SECRET,
          scopes: 'openid offline_access hr.read',
        },
      },
      auth.api.url,
      '/users',
    );
    const { beginOAuthAuthorization } = dataOf(
      await org.query<{ beginOAuthAuthorization: { authorizationUrl: string } }>(
        'mutation ($id: ID!) { beginOAuthAuthorization(connectorId: $id) { authorizationUrl state } }',
        { id: oauth },
      ),
    );
    const callback = await authorizeInBrowser(
      beginOAuthAuthorization.authorizationUrl,
      `${federation.gateway.url}/oauth/callback`,
    );
    answers.push(await (await fetch(callback)).text());
    await mapTestActivateImport(oauth);
    await org.query('mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state } }', { id: oauth });

    // OAuth 2.0 client credentials with an extra header: a token per connector, never kept.
    const machine = await customApi(
      {
        oauth2ClientCredentials: {
          accessTokenUrl: auth.urls.accessTokenUrl,
          clientId: 'uif-machine',
          clientSecret: CLIENT_SECRET,
          scopes: 'hr.read',
        },
      },
      auth.api.url,
      '/users',
      [{ name: 'X-Tenant-Key', value: EXTRA_HEADER }],
    );
    await mapTestActivateImport(machine);

    // HTTP Basic with an extra header, first with a wrong password (the provider's refusal is shown).
    const basic = await customApi(
      { basic: { username: 'sync', password: HR_KEY_REPLACED } },
      basicHr.url,
      '/employees',
      [{ name: 'X-Tenant-Key', value: EXTRA_HEADER }],
    );
    await org.query(
      'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message providerResponse } }',
      {
        id: basic,
      },
    );
    await org.query(
      `mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { ${CONNECTOR_FIELDS} } }`,
      { id: basic, input: { auth: { basic: { username: 'sync', password: BASIC_PASSWORD } } } },
    );
    await mapTestActivateImport(basic);

    // SCIM with a bearer token: picked users, imported at once.
    const scimId = await activeScimConnector(org, scim.url, SCIM_TOKEN);
    answers.push(
      JSON.stringify(
        await startImportNow(org, {
          connectorId: scimId,
          operations: ['USER_CREATE'],
          selectedExternalIds: scim.users.map((user) => user.id),
        }),
      ),
    );
    // Failures are where secrets slip into logs: a provider gone away, a wrong API key at the gateway.
    await hr.close();
    await runImport(org, { connectorId: apiKey, operations: ['USER_CREATE'] });
    answers.push(JSON.stringify(await federation.client(WRONG_API_KEY, org.id)('{ organization { id } }')));
    await org.query(`{ connectors { ${CONNECTOR_FIELDS} } }`);
    await org.query(
      '{ importJobs { id error warnings resultsDownloadUrl } directoryEvents { actor changes } }',
    );
  }

  function secrets(): Record<string, string[]> {
    expect(auth.seenTokens.length).toBeGreaterThan(0);
    expect(auth.refreshTokens.length).toBeGreaterThan(0);
    return {
      'the HR API key': [HR_KEY],
      'the echoed API key': [ECHO_KEY],
      'the echoed extra header': [ECHO_TENANT],
      'the echoed Basic password': [
        ECHO_BASIC_PASSWORD,
        Buffer.from(`echo:${ECHO_BASIC_PASSWORD}`).toString('base64'),
      ],
      'a replaced HR API key': [HR_KEY_REPLACED],
      'the SCIM bearer token': [SCIM_TOKEN],
      'the OAuth client secret': [CLIENT_SECRET],
      'OAuth access tokens (client credentials too)': [...new Set(auth.seenTokens.filter(Boolean))],
      'the HTTP Basic password': [BASIC_PASSWORD, `sync:${BASIC_PASSWORD}`],
      'an extra header value': [EXTRA_HEADER],
      'OAuth refresh tokens': auth.refreshTokens,
      'the SMTP password': [SMTP_PASSWORD],
      'the organization API key': [org.apiKey],
      'a wrong API key': [WRONG_API_KEY],
      'the bootstrap API key': [federation.bootstrap.BOOTSTRAP_API_KEY],
      'the internal secret': [federation.secret],
      'the encryption key': [SECRET_KEY, Buffer.from(SECRET_KEY, 'hex').toString('base64')],
    };
  }

  /** A secret as it may be written: as is, URL-encoded, or base64 (plain or URL-safe). */
  const forms = (value: string): string[] => [
    value,
    encodeURIComponent(value),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
  ];

  function leaks(where: string): string[] {
    return Object.entries(secrets()).flatMap(([name, values]) =>
      values.flatMap(forms).some((form) => where.includes(form)) ? [name] : [],
    );
  }

  it('the run really used each secret: every kind of connector imported its users', () => {
    expect(mailbox.received.length).toBeGreaterThanOrEqual(3);
    expect(hr.requests.some((r) => r.headers['x-hr-key'] === HR_KEY)).toBe(true);
    expect(scim.requests.some((r) => r.headers.authorization === `Bearer ${SCIM_TOKEN}`)).toBe(true);
    expect(basicHr.requests.some((r) => r.headers['x-tenant-key'] === EXTRA_HEADER)).toBe(true);
    expect(auth.grants).toContain('client_credentials');
    expect(answers.join('\n')).toContain('"created":3');
  });

  it('come back as [redacted] from a provider that echoes them: test, error body, job error, email', () => {
    const echoedKey = 'x-echo-key: [redacted]';
    expect(echo.requests.some((r) => r.headers['x-echo-key'] === ECHO_KEY)).toBe(true);
    expect(echoed.test).toMatchObject({
      data: { testConnection: { ok: false, providerResponse: expect.stringContaining(echoedKey) } },
    });
    expect(echoed.preview).toMatchObject({
      errors: [{ extensions: { code: 'PROVIDER_ERROR', body: expect.stringContaining(echoedKey) } }],
    });
    expect(echoed.job).toMatchObject({ status: 'FAILED', error: expect.stringContaining(echoedKey) });
    expect(echoed.test).toMatchObject({
      data: { testConnection: { providerResponse: expect.stringContaining('x-echo-tenant: [redacted]') } },
    });
    expect(echoed.basicTest).toMatchObject({
      data: {
        testConnection: { providerResponse: expect.stringContaining('authorization: Basic [redacted]') },
      },
    });
    const quoted = mailbox.received
      .map(({ mail }) => mail.text ?? '')
      .filter((t) => t.includes('x-echo-key'));
    expect(quoted.length).toBeGreaterThan(0);
    for (const text of quoted) expect(text).toContain(echoedKey);
  });

  it('appear in no GraphQL answer and no downloaded file', () => {
    expect(leaks(answers.join('\n'))).toEqual([]);
  });

  it('appear in no log line of any service, failures included', () => {
    const logs = federation.logs.join('\n');
    expect(logs).toContain('import job failed');
    expect(logs).toContain('refused an unauthenticated request');
    expect(leaks(logs)).toEqual([]);
  });

  it('appear in no row of any table, and in no email', async () => {
    const rows = await databaseText(federation.importEnv.DATABASE_URL);
    expect(rows).toContain('connectors: [');
    expect(leaks(rows)).toEqual([]);
    const mails = mailbox.received.map(({ mail }) => `${mail.subject}\n${mail.text}\n${String(mail.html)}`);
    expect(leaks(mails.join('\n'))).toEqual([]);
  });

  it('appear in nothing printed to the console or to stdout/stderr', () => {
    expect(printed.join('\n'), 'the OAuth server printed its notices').toContain('oidc-provider');
    expect(leaks(printed.join('\n'))).toEqual([]);
  });

  it('appear in nothing sent to Redis (jobs, progress events) and nothing left there', async () => {
    const sent = redis.commands.join('\n');
    expect(sent, 'the jobs went through the queue').toContain(QUEUE);
    expect(sent, 'progress went through Redis').toMatch(/PUBLISH/i);
    expect(leaks(sent)).toEqual([]);
    expect(leaks(await redisText())).toEqual([]);
  });
});
