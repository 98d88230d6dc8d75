import { ConnectorClient, type UserListingRequest } from '@uif/connector-client';
import { dataOf, mapAndActivate, sendJson, startHrProvider, startTestServer } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorFixture, type ConnectorFixture } from '../testing/connector-fixture.js';

const API_KEY = 'hr-api-key-7c1d9e';
const FIELDS =
  'id displayLabel description kind state baseUrl authMethod authSummary authorized listUsers { path resourceLocation totalCountSource totalCountLocation limitParam offsetParam pageSize }';
const CREATE = `mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { ${FIELDS} } }`;

const employees = Array.from({ length: 12 }, (_, i) => ({
  id: 100 + i,
  work_email: `Emp${i}@Acme.example`,
  login: `emp${i}`,
  name: { first: `First${i}`, last: `Last${i}` },
  employment: { status: i === 3 ? 'Leave' : 'Active' },
  location: { city: 'Lisbon', country: 'PT' },
}));

const listUsers = (overrides: Record<string, unknown> = {}) => ({
  path: '/v1/employees',
  resourceLocation: 'data.employees',
  totalCountSource: 'HEADER',
  totalCountLocation: 'X-Total-Count',
  limitParam: 'limit',
  offsetParam: 'offset',
  pageSize: 5,
  ...overrides,
});

const customApi = (baseUrl: string, overrides: Record<string, unknown> = {}) => ({
  displayLabel: 'Acme HR',
  description: 'The HR system',
  baseUrl,
  auth: { apiKey: { headerName: 'X-HR-Key', headerValue: API_KEY } },
  listUsers: listUsers(),
  ...overrides,
});

const MAPPING = {
  entries: [
    { target: 'EMAIL', sourcePath: '$.work_email' },
    { target: 'USERNAME', sourcePath: '$.login' },
    { target: 'FIRSTNAME', sourcePath: '$.name.first' },
    { target: 'WORK_LOCALITY', sourcePath: '$.location.city' },
  ],
  statusPath: '$.employment.status',
};

describe('custom-API connectors', () => {
  let fixture: ConnectorFixture;
  let hr: Awaited<ReturnType<typeof startHrProvider>>;
  beforeAll(async () => {
    fixture = await startConnectorFixture();
    hr = await startHrProvider({
      users: employees,
      resourcePath: ['data', 'employees'],
      total: { header: 'X-Total-Count' },
      authorize: (headers) => headers['x-hr-key'] === API_KEY,
    });
  });
  afterAll(async () => {
    await hr?.close();
    await fixture?.close();
  });

  async function create(member: ReturnType<ConnectorFixture['newMember']>, input = customApi(hr.url)) {
    const { createCustomApiConnector } = dataOf(
      await member.query<{ createCustomApiConnector: { id: string } }>(CREATE, { input }),
    );
    return createCustomApiConnector.id;
  }

  /** Maps and activates the connector; then lists its users as the import does, page after page. */
  async function activeListing(member: ReturnType<ConnectorFixture['newMember']>, id: string) {
    await mapAndActivate(member.query, id, MAPPING);
    const connectors = new ConnectorClient(fixture.connector.url, fixture.internalSecret, 'import');
    return async (request: UserListingRequest) => {
      const users: unknown[] = [];
      for await (const page of connectors.userListing(member.organizationId, id, request))
        users.push(...page.users);
      return users;
    };
  }

  it('saves a complete configuration and shows where the key goes, never the key', async () => {
    const member = fixture.newMember();
    const answer = await member.query(CREATE, { input: customApi(hr.url) });
    expect(dataOf(answer).createCustomApiConnector).toMatchObject({
      displayLabel: 'Acme HR',
      kind: 'CUSTOM_API',
      state: 'CONFIGURED',
      authMethod: 'API_KEY',
      authSummary: 'API key in header X-HR-Key',
      authorized: true,
      listUsers: listUsers(),
    });
    expect(JSON.stringify(answer)).not.toContain(API_KEY);
    const rows = (await fixture.connector.dataSource.query('SELECT * FROM connectors')) as object[];
    expect(JSON.stringify(rows)).not.toContain(API_KEY);
  });

  it('rejects a half-filled form whole, naming every offending field, and stores nothing', async () => {
    const member = fixture.newMember();
    const answer = await member.query(CREATE, {
      input: customApi('ftp://hr.example', {
        displayLabel: ' ',
        auth: { apiKey: { headerName: 'Host', headerValue: 'x' }, bearerToken: { token: 't' } },
        listUsers: listUsers({
          path: 'employees',
          totalCountSource: 'BODY',
          totalCountLocation: null,
          pageSize: 0,
        }),
      }),
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        'input.displayLabel',
        'input.baseUrl',
        'input.auth.apiKey.headerName',
        'input.auth',
        'input.listUsers.path',
        'input.listUsers.pageSize',
        'input.listUsers.totalCountLocation',
      ],
    });
    expect(answer.errors?.[0]?.message).toContain(
      'input.listUsers.totalCountLocation must name the JSON path in the body',
    );
    expect(dataOf(await member.query<{ connectors: unknown[] }>('{ connectors { id } }')).connectors).toEqual(
      [],
    );
  });

  it('names what each pagination style and the new auth methods miss, and stores nothing', async () => {
    const member = fixture.newMember();
    const answer = await member.query(CREATE, {
      input: customApi(hr.url, {
        auth: { basic: { username: 'acme:ops', password: 'pw' } },
        listUsers: listUsers({
          pagination: 'CURSOR',
          offsetParam: null,
          firstPage: 2,
          extraHeaders: [
            { name: 'Authorization', value: 'x' },
            { name: 'X-Tenant', value: 'acme' },
            { name: 'x-tenant', value: 'acme' },
          ],
        }),
      }),
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        'input.auth.basic.username',
        'input.listUsers.firstPage',
        'input.listUsers.extraHeaders.0.name',
        'input.listUsers.extraHeaders.2.name',
        'input.listUsers.offsetParam',
        'input.listUsers.cursorPath',
      ],
    });
    expect(answer.errors?.[0]?.message).toContain(
      'input.listUsers.offsetParam must name the cursor parameter (CURSOR)',
    );
    expect(dataOf(await member.query<{ connectors: unknown[] }>('{ connectors { id } }')).connectors).toEqual(
      [],
    );
  });

  it('refuses a total-count path in the body that runs a regular expression', async () => {
    const member = fixture.newMember();
    const input = customApi(hr.url, {
      listUsers: listUsers({
        totalCountSource: 'BODY',
        totalCountLocation: '$[?(/^(a+)+$/.test(@.n))].total',
      }),
    });
    const answer = await member.query(CREATE, { input });
    expect(answer.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^input\.listUsers\.totalCountLocation has a regular expression/),
      extensions: { code: 'BAD_USER_INPUT', fields: ['input.listUsers.totalCountLocation'] },
    });
  });

  it('refuses header names that are not HTTP tokens', async () => {
    const member = fixture.newMember();
    const answer = await member.query(CREATE, {
      input: customApi(hr.url, {
        auth: { apiKey: { headerName: 'X HR Key', headerValue: 'a\r\nInjected: 1' } },
      }),
    });
    expect(answer.errors?.[0]?.message).toBe(
      'input.auth.apiKey.headerName must be a valid HTTP header name; input.auth.apiKey.headerValue must not contain line breaks',
    );
  });

  it('tests the connection with the first page only and says what it found', async () => {
    const member = fixture.newMember();
    const id = await create(member);
    const before = hr.requests.length;
    const { testConnection } = dataOf(
      await member.query<{ testConnection: Record<string, unknown> }>(
        'mutation ($id: ID!) { testConnection(connectorId: $id) { ok httpStatus message providerResponse totalCount sampleSize } }',
        { id },
      ),
    );
    expect(testConnection).toEqual({
      ok: true,
      httpStatus: 200,
      message: expect.stringMatching(
        /^Connected: the first page held 5 users of 12\. Paged by offset \(OFFSET\): the next page would be GET http:\/\/127\.0\.0\.1:\d+\/v1\/employees\?limit=5&offset=5\.$/,
      ),
      providerResponse: null,
      totalCount: 12,
      sampleSize: 5,
    });
    expect(hr.requests.slice(before).map((r) => r.url.search)).toEqual(['?limit=5&offset=0']);
  });

  it('shows the provider’s full answer when the test fails', async () => {
    const member = fixture.newMember();
    const id = await create(
      member,
      customApi(hr.url, { auth: { apiKey: { headerName: 'X-HR-Key', headerValue: 'wrong' } } }),
    );
    const { testConnection } = dataOf(
      await member.query<{ testConnection: Record<string, unknown> }>(
        'mutation ($id: ID!) { testConnection(connectorId: $id) { ok httpStatus message providerResponse sampleSize } }',
        { id },
      ),
    );
    expect(testConnection).toMatchObject({
      ok: false,
      httpStatus: 401,
      message: expect.stringMatching(
        /^The provider answered HTTP 401 to GET http:\/\/127\.0\.0\.1:\d+\/v1\/employees\?limit=5&offset=0$/,
      ),
      providerResponse: '{"error":"invalid_credentials","message":"The API key is not valid"}',
      sampleSize: 0,
    });
  });

  it.each([
    [
      'an HTML page',
      (res: Parameters<typeof sendJson>[0]) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>Maintenance</html>');
      },
      'The provider answered text/html instead of JSON: <html>Maintenance</html>',
    ],
    ['no answer', () => undefined, 'The provider did not answer within 2 s'],
    [
      'a body without the user array',
      (res: Parameters<typeof sendJson>[0]) => sendJson(res, 200, { data: { people: [] } }),
      'Expected an array of users at the resource location "data.employees", found nothing',
    ],
  ])('reports %s in words an admin can act on', async (_, handler, message) => {
    const broken = await startTestServer((_, res) => handler(res));
    try {
      const member = fixture.newMember();
      const id = await create(member, customApi(broken.url));
      const { testConnection } = dataOf(
        await member.query<{ testConnection: { ok: boolean; message: string } }>(
          'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message } }',
          { id },
        ),
      );
      expect(testConnection.ok).toBe(false);
      expect(testConnection.message.startsWith(message)).toBe(true);
    } finally {
      await broken.close();
    }
  });

  it('warns when the configured total is not where the configuration says', async () => {
    const member = fixture.newMember();
    const id = await create(
      member,
      customApi(hr.url, { listUsers: listUsers({ totalCountLocation: 'X-Count' }) }),
    );
    const { testConnection } = dataOf(
      await member.query<{ testConnection: { ok: boolean; message: string; totalCount: null } }>(
        'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message totalCount } }',
        { id },
      ),
    );
    expect(testConnection).toEqual({
      ok: true,
      totalCount: null,
      message: expect.stringMatching(
        /^Connected: the first page held 5 users\. Paged by offset \(OFFSET\): .* The total count header X-Count was missing or not a number$/,
      ),
    });
  });

  it('previews the provider’s schema: the users as returned and every leaf field', async () => {
    const member = fixture.newMember();
    const id = await create(member);
    const { userSchemaPreview } = dataOf(
      await member.query<{
        userSchemaPreview: { sample: unknown[]; fields: { path: string; type: string; example: unknown }[] };
      }>(
        'query ($id: ID!) { userSchemaPreview(connectorId: $id, limit: 2) { sample fields { path type example } } }',
        { id },
      ),
    );
    expect(userSchemaPreview.sample).toEqual(employees.slice(0, 2));
    expect(userSchemaPreview.fields).toContainEqual({
      path: '$.name.first',
      type: 'string',
      example: 'First0',
    });
    expect(userSchemaPreview.fields).toContainEqual({ path: '$.id', type: 'number', example: 100 });
  });

  it('validates the mapping when saved, then previews the mapped users with their problems', async () => {
    const member = fixture.newMember();
    const id = await create(member);
    const SET =
      'mutation ($id: ID!, $input: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $input) { mapping { entries { target sourcePath } externalIdPath statusPath inactiveStatuses activeStatuses } } }';
    const bad = await member.query(SET, {
      id,
      input: { entries: [{ target: 'EMAIL', sourcePath: 'work_email' }], statusPath: '$.a[?(@.x==' },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.entries.0.sourcePath', 'input.statusPath', 'input.entries'],
    });
    expect(bad.errors?.[0]?.message).toContain('input.entries must map USERNAME');

    const saved = dataOf(
      await member.query<{ setAttributeMapping: { mapping: unknown } }>(SET, { id, input: MAPPING }),
    );
    expect(saved.setAttributeMapping.mapping).toEqual({
      entries: MAPPING.entries,
      externalIdPath: '$.id',
      statusPath: '$.employment.status',
      inactiveStatuses: ['Leave', 'Inactive'],
      activeStatuses: ['Onboarding', 'Active'],
    });
    hr.users[1] = { ...employees[1], work_email: 'not-an-email' };
    try {
      const { mappedUserPreview } = dataOf(
        await member.query<{ mappedUserPreview: unknown[] }>(
          'query ($id: ID!) { mappedUserPreview(connectorId: $id, limit: 2) { externalId attributes errors } }',
          { id },
        ),
      );
      expect(mappedUserPreview).toEqual([
        {
          externalId: '100',
          attributes: {
            email: 'Emp0@Acme.example',
            username: 'emp0',
            firstname: 'First0',
            addresses: [{ type: 'work', locality: 'Lisbon' }],
          },
          errors: [],
        },
        expect.objectContaining({ externalId: '101', errors: ['email: is not a valid email address'] }),
      ]);
    } finally {
      hr.users[1] = employees[1];
    }
  });

  it('activates only with a mapping and a passing connection test', async () => {
    const member = fixture.newMember();
    const id = await create(member);
    const ACTIVATE = 'mutation ($id: ID!) { activateConnector(connectorId: $id) { state } }';
    const early = await member.query(ACTIVATE, { id });
    expect(early.errors?.[0]).toMatchObject({
      message: 'Set an attribute mapping (with EMAIL and USERNAME) before activating the connector',
      extensions: { code: 'CONFLICT' },
    });
    dataOf(
      await member.query(
        'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { id } }',
        { id, m: MAPPING },
      ),
    );

    const UPDATE =
      'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { authSummary listUsers { pageSize } } }';
    dataOf(
      await member.query(UPDATE, {
        id,
        input: { auth: { apiKey: { headerName: 'X-HR-Key', headerValue: 'stale' } } },
      }),
    );
    const failing = await member.query(ACTIVATE, { id });
    expect(failing.errors?.[0]?.message).toMatch(
      /^The connection test failed, so the connector stays inactive: The provider answered HTTP 401/,
    );

    dataOf(
      await member.query(UPDATE, {
        id,
        input: { auth: { apiKey: { headerName: 'X-HR-Key', headerValue: API_KEY } } },
      }),
    );
    const kept = dataOf(
      await member.query<{ updateConnector: unknown }>(UPDATE, {
        id,
        input: { listUsers: listUsers({ pageSize: 3 }) },
      }),
    );
    expect(kept.updateConnector).toEqual({
      authSummary: 'API key in header X-HR-Key',
      listUsers: { pageSize: 3 },
    });
    expect(dataOf(await member.query(ACTIVATE, { id }))).toEqual({ activateConnector: { state: 'ACTIVE' } });

    const deactivated = dataOf(
      await member.query('mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state } }', { id }),
    );
    expect(deactivated).toEqual({ deactivateConnector: { state: 'DEACTIVATED' } });
  });

  it('lists users cut down to the paths the import reads, when it names them', async () => {
    const member = fixture.newMember();
    const listing = await activeListing(member, await create(member));
    const list = (readPaths?: string[]) =>
      listing({ query: null, pageSize: 5, ...(readPaths ? { readPaths } : {}) });

    expect(await list(['$.id', '$.work_email', '$.name.first || $.login'])).toEqual(
      employees.map(({ id: employeeId, work_email, login, name }) => ({
        id: employeeId,
        work_email,
        login,
        name: { first: name.first },
      })),
    );
    expect(await list()).toEqual(employees);
  });

  it("lists users with the connector's key taken out, written plainly or hidden by JSON escapes", async () => {
    // A provider whose users quote the key they were asked with: once as sent, once \u-escaped.
    const escaped = [...API_KEY].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const echoing = await startTestServer(({ url, headers }, response) => {
      const key = String(headers['x-hr-key']);
      const notes = [`seen ${key}`, escaped.join(''), 'plain'];
      // One user a page: a page is looked through whole once anything in it needs it.
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const page = notes
        .slice(offset, offset + 1)
        .map((note, i) => `{"id": "e${offset + i + 1}", "note": "${note}"}`);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"data": {"employees": [${page.join(', ')}]}}`);
    });
    try {
      const member = fixture.newMember();
      const id = await create(
        member,
        customApi(echoing.url, {
          listUsers: listUsers({ totalCountSource: 'NONE', totalCountLocation: null, pageSize: 1 }),
        }),
      );
      const listing = await activeListing(member, id);
      expect(await listing({ query: null, pageSize: 1 })).toEqual([
        { id: 'e1', note: 'seen [redacted]' },
        { id: 'e2', note: '[redacted]' },
        { id: 'e3', note: 'plain' },
      ]);
    } finally {
      await echoing.close();
    }
  });

  it('never sends the stored key to another origin: a move needs the key again', async () => {
    const member = fixture.newMember();
    const id = await create(member);
    const elsewhere = await startTestServer(({ headers }, response) =>
      sendJson(response, 200, { data: { employees: [] }, seen: headers['x-hr-key'] ?? null }),
    );
    try {
      const UPDATE =
        'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { baseUrl } }';
      const moved = await member.query(UPDATE, { id, input: { baseUrl: elsewhere.url } });
      expect(moved.errors?.[0]).toMatchObject({
        message: expect.stringContaining(`to send the connector's credentials to ${elsewhere.url}`),
        extensions: { code: 'BAD_USER_INPUT', fields: ['input.auth'] },
      });
      const TEST = 'mutation ($id: ID!) { testConnection(connectorId: $id) { ok } }';
      expect(dataOf(await member.query(TEST, { id }))).toEqual({ testConnection: { ok: true } });
      // Another path on the same origin is no move; another port is.
      const samePlace = await member.query(UPDATE, { id, input: { baseUrl: `${hr.url}/` } });
      expect(dataOf(samePlace)).toEqual({ updateConnector: { baseUrl: `${hr.url}/` } });
      const otherPort = `http://127.0.0.1:${Number(new URL(elsewhere.url).port) + 1}`;
      expect(
        (await member.query(UPDATE, { id, input: { baseUrl: otherPort } })).errors?.[0]?.extensions,
      ).toMatchObject({ fields: ['input.auth'] });
      expect(elsewhere.requests).toEqual([]);

      // With the key given again, the move is the admin's own choice: the new key goes there.
      const withKey = await member.query(UPDATE, {
        id,
        input: {
          baseUrl: elsewhere.url,
          auth: { apiKey: { headerName: 'X-HR-Key', headerValue: 'for-elsewhere' } },
        },
      });
      expect(dataOf(withKey)).toEqual({ updateConnector: { baseUrl: elsewhere.url } });
      await member.query(TEST, { id });
      expect(elsewhere.requests.map((request) => request.headers['x-hr-key'])).toEqual(['for-elsewhere']);
    } finally {
      await elsewhere.close();
    }
  });

  it('never sends stored extra headers to another origin: a move needs them again', async () => {
    const member = fixture.newMember();
    const headers = [{ name: 'X-Tenant-Key', value: 'tenant-secret-4f1a' }];
    const id = await create(member, customApi(hr.url, { listUsers: listUsers({ extraHeaders: headers }) }));
    const elsewhere = await startTestServer((_request, response) =>
      sendJson(response, 200, { data: { employees: [] } }),
    );
    try {
      const UPDATE =
        'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { baseUrl } }';
      const auth = { apiKey: { headerName: 'X-HR-Key', headerValue: 'for-elsewhere' } };
      const keyOnly = await member.query(UPDATE, { id, input: { baseUrl: elsewhere.url, auth } });
      expect(keyOnly.errors?.[0]).toMatchObject({
        message: expect.stringContaining(`to send the connector's extra headers to ${elsewhere.url}`),
        extensions: { code: 'BAD_USER_INPUT', fields: ['input.listUsers.extraHeaders'] },
      });
      const withHeaders = await member.query(UPDATE, {
        id,
        input: {
          baseUrl: elsewhere.url,
          auth,
          listUsers: listUsers({ extraHeaders: [{ name: 'X-Tenant-Key', value: 'for-elsewhere-too' }] }),
        },
      });
      expect(dataOf(withHeaders)).toEqual({ updateConnector: { baseUrl: elsewhere.url } });
      await member.query('mutation ($id: ID!) { testConnection(connectorId: $id) { ok } }', { id });
      expect(elsewhere.requests.map((request) => request.headers['x-tenant-key'])).toEqual([
        'for-elsewhere-too',
      ]);
    } finally {
      await elsewhere.close();
    }
  });

  it('keeps each organization to its own connectors', async () => {
    const owner = fixture.newMember();
    const other = fixture.newMember();
    const id = await create(owner);
    expect(dataOf(await other.query('query ($id: ID!) { connector(id: $id) { id } }', { id }))).toEqual({
      connector: null,
    });
    const update = await other.query(
      'mutation ($id: ID!) { updateConnector(id: $id, input: { displayLabel: "Mine" }) { id } }',
      { id },
    );
    expect(update.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const test = await other.query('mutation ($id: ID!) { testConnection(connectorId: $id) { ok } }', { id });
    expect(test.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(dataOf(await other.query<{ connectors: unknown[] }>('{ connectors { id } }')).connectors).toEqual(
      [],
    );
  });

  it('never writes a secret to the log', () => {
    expect(fixture.logs.length).toBeGreaterThan(0);
    expect(fixture.logs.join('\n')).not.toContain(API_KEY);
  });
});

describe('connectors with the SSRF guard on', () => {
  let fixture: ConnectorFixture;
  beforeAll(async () => {
    fixture = await startConnectorFixture({
      dialect: 'sqlite',
      env: { ALLOW_PRIVATE_NETWORK_TARGETS: 'false' },
    });
  });
  afterAll(() => fixture?.close());

  it.each([
    ['http://127.0.0.1:8080/api', '127.0.0.1 is a loopback address'],
    ['http://localhost/api', 'is a loopback address'],
    ['http://169.254.169.254/latest', '169.254.169.254 is a link-local address'],
    ['http://[fd12::1]/api', 'fd12::1 is a private IPv6 (unique local) address'],
    ['http://192.168.1.20/api', '192.168.1.20 is a private network address'],
  ])('refuses %s when saving, saying why', async (baseUrl, reason) => {
    const member = fixture.newMember();
    const answer = await member.query(CREATE, { input: customApi(baseUrl) });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['baseUrl'] });
    expect(answer.errors?.[0]?.message).toContain(reason);
    expect(answer.errors?.[0]?.message).toContain('ALLOW_PRIVATE_NETWORK_TARGETS=true');
  });

  it('refuses private targets in a SCIM base URL, an OAuth token URL and an update alike', async () => {
    const member = fixture.newMember();
    const scim = await member.query(
      'mutation ($input: ScimConnectorInput!) { createScimConnector(input: $input) { id } }',
      {
        input: {
          displayLabel: 'Wiki',
          baseUrl: 'http://[::1]/scim/v2',
          auth: { bearerToken: { token: 't' } },
        },
      },
    );
    expect(scim.errors?.[0]?.message).toContain('::1 is a loopback address');
    const oauth2 = {
      authorizationUrl: 'https://login.example.com/authorize',
      clientId: 'c',
      clientSecret: 's',
      accessTokenUrl: 'http://169.254.169.254/token',
    };
    const token = await member.query(CREATE, {
      input: customApi('https://hr.example.com', { auth: { oauth2 } }),
    });
    expect(token.errors?.[0]?.message).toContain('169.254.169.254 is a link-local address');
    expect(dataOf(await member.query('{ connectors { id } }')).connectors).toEqual([]);
  });
});

describe('connectors with the SSRF guard on and a private host on the allowlist', () => {
  let fixture: ConnectorFixture;
  let hr: Awaited<ReturnType<typeof startHrProvider>>;
  beforeAll(async () => {
    fixture = await startConnectorFixture({
      dialect: 'sqlite',
      env: { ALLOW_PRIVATE_NETWORK_TARGETS: 'false', PRIVATE_TARGET_ALLOWLIST: 'localhost' },
    });
    hr = await startHrProvider({ users: employees, resourcePath: ['data', 'employees'] });
  });
  afterAll(async () => {
    await hr?.close();
    await fixture?.close();
  });

  it('reaches the listed host and still refuses any other private one', async () => {
    const member = fixture.newMember();
    const { port } = new URL(hr.url);
    const saved = dataOf(
      await member.query<{ createCustomApiConnector: { id: string } }>(CREATE, {
        input: customApi(`http://localhost:${port}`, {
          auth: { bearerToken: { token: 't' } },
          listUsers: listUsers({ totalCountSource: 'NONE', path: '/employees' }),
        }),
      }),
    );
    const TEST = 'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message } }';
    const { testConnection } = dataOf(
      await member.query<{ testConnection: { ok: boolean } }>(TEST, {
        id: saved.createCustomApiConnector.id,
      }),
    );
    expect(testConnection.ok).toBe(true);
    const UPDATE =
      'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { id } }';
    const moved = await member.query(UPDATE, {
      id: saved.createCustomApiConnector.id,
      input: { baseUrl: `http://127.0.0.1:${port}` },
    });
    expect(moved.errors?.[0]?.message).toContain('127.0.0.1 is a loopback address');
    expect(moved.errors?.[0]?.message).toContain('PRIVATE_TARGET_ALLOWLIST');
  });
});
