import {
  dataOf,
  ENTERPRISE_USER_SCHEMA,
  expectedScimAttributes,
  expectedScimEmail,
  scimUsers,
  startScimmyProvider,
  startScimProvider,
  type ScimProvider,
  type ScimUser,
} from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorFixture, type ConnectorFixture } from '../testing/connector-fixture.js';

const TOKEN = 'scim-token-5be1a0';
const FIELDS =
  'id kind state baseUrl authMethod authSummary listUsers { path } mapping { entries { target sourcePath } externalIdPath statusPath inactiveStatuses activeStatuses }';
const CREATE = `mutation ($input: ScimConnectorInput!) { createScimConnector(input: $input) { ${FIELDS} } }`;
const TEST =
  'mutation ($id: ID!) { testConnection(connectorId: $id) { ok httpStatus message providerResponse totalCount sampleSize } }';
const MAPPED =
  'query ($id: ID!) { mappedUserPreview(connectorId: $id, limit: 8) { externalId attributes errors } }';

const scim = (baseUrl: string, token = TOKEN) => ({
  displayLabel: 'Acme Wiki',
  baseUrl,
  auth: { bearerToken: { token } },
});

type Member = ReturnType<ConnectorFixture['newMember']>;

interface TestResult {
  ok: boolean;
  httpStatus: number | null;
  message: string;
  providerResponse: string | null;
}

async function testConnection(member: Member, id: string): Promise<TestResult> {
  return dataOf(await member.query<{ testConnection: TestResult }>(TEST, { id })).testConnection;
}

describe('SCIM connectors', () => {
  let fixture: ConnectorFixture;
  let scimmy: ScimProvider<ScimUser>;
  const users = scimUsers(12, { inactiveEvery: 5 });
  const providers: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    fixture = await startConnectorFixture();
    scimmy = await startScimmyProvider({ users, token: TOKEN });
  });
  afterAll(async () => {
    await Promise.all([scimmy, ...providers].map((p) => p?.close()));
    await fixture?.close();
  });

  async function create(member: Member, baseUrl = scimmy.url, token = TOKEN): Promise<string> {
    const answer = await member.query<{ createScimConnector: { id: string } }>(CREATE, {
      input: scim(baseUrl, token),
    });
    return dataOf(answer).createScimConnector.id;
  }

  async function ours(options: Omit<Parameters<typeof startScimProvider>[0], 'users'>) {
    const provider = await startScimProvider({ users: scimUsers(3), token: TOKEN, ...options });
    providers.push(provider);
    return provider;
  }

  it('saves the base URL and credentials with the standard SCIM mapping, and no list endpoint', async () => {
    const member = fixture.newMember();
    const { createScimConnector: saved } = dataOf(
      await member.query<{ createScimConnector: Record<string, unknown> }>(CREATE, {
        input: scim(scimmy.url),
      }),
    );
    expect(saved).toMatchObject({
      kind: 'SCIM',
      state: 'CONFIGURED',
      baseUrl: scimmy.url,
      authMethod: 'BEARER_TOKEN',
      authSummary: 'Bearer token',
      listUsers: null,
      mapping: {
        externalIdPath: '$.id',
        statusPath: '$.active',
        inactiveStatuses: ['false'],
        activeStatuses: ['true'],
      },
    });
    expect(JSON.stringify(saved)).not.toContain(TOKEN);
    const entries = new Map(
      (saved.mapping as { entries: { target: string; sourcePath: string }[] }).entries.map((e) => [
        e.target,
        e.sourcePath,
      ]),
    );
    expect(entries.get('USERNAME')).toBe('$.userName');
    expect(entries.get('EMPLOYEE_IDENTIFIER')).toBe(`$['${ENTERPRISE_USER_SCHEMA}'].employeeNumber`);
    expect(entries.size).toBe(25);
  });

  it('refuses a half-filled form whole, naming each field, and stores nothing', async () => {
    const member = fixture.newMember();
    const answer = await member.query(CREATE, {
      input: { displayLabel: ' ', baseUrl: 'ftp://scim.example', auth: {} },
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.displayLabel', 'input.baseUrl', 'input.auth'],
    });
    expect(dataOf(await member.query('{ connectors { id } }')).connectors).toEqual([]);
  });

  it('passes the connection test against a real SCIM server: ServiceProviderConfig, then one user', async () => {
    const member = fixture.newMember();
    const id = await create(member);
    const before = scimmy.requests.length;
    const result = await testConnection(member, id);
    expect(result).toMatchObject({ ok: true, httpStatus: 200, totalCount: 12, sampleSize: 1 });
    expect(result.message).toMatch(
      /^Connected: the SCIM service lists 12 users\. ServiceProviderConfig read/,
    );
    const asked = scimmy.requests.slice(before).map((r) => `${r.url.pathname}${r.url.search}`);
    expect(asked).toEqual(['/scim/v2/ServiceProviderConfig', '/scim/v2/Users?startIndex=1&count=1']);
    expect(scimmy.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('names the step that failed and shows the SCIM error when the token is wrong', async () => {
    const member = fixture.newMember();
    const id = await create(member, scimmy.url, 'wrong-token');
    const result = await testConnection(member, id);
    expect(result).toMatchObject({ ok: false, httpStatus: 401, sampleSize: 0 });
    expect(result.message).toMatch(
      /^GET \/ServiceProviderConfig failed: The SCIM service answered HTTP 401 to GET .*\/ServiceProviderConfig: Invalid bearer token$/,
    );
    expect(result.providerResponse).toContain('urn:ietf:params:scim:api:messages:2.0:Error');
  });

  it.each([404, 403, 405, 501])(
    'goes on without /ServiceProviderConfig when a service answers it with %i',
    async (status) => {
      const provider = await ours({ serviceProviderConfigStatus: status });
      const member = fixture.newMember();
      const result = await testConnection(member, await create(member, provider.url));
      expect(result.ok).toBe(true);
      expect(result.message).toContain('does not offer /ServiceProviderConfig');
    },
  );

  it('reads pages of the size the service allows, as its maxResults says', async () => {
    const provider = await ours({ maxResults: 30 });
    const member = fixture.newMember();
    const result = await testConnection(member, await create(member, provider.url));
    expect(result.message).toContain("Users are read 30 a page, the service's maxResults.");
  });

  it('asks for SCIM’s media type', async () => {
    const member = fixture.newMember();
    const before = scimmy.requests.length;
    await testConnection(member, await create(member));
    const asked = scimmy.requests.slice(before);
    expect(asked.map((request) => request.url.pathname)).toEqual([
      '/scim/v2/ServiceProviderConfig',
      '/scim/v2/Users',
    ]);
    for (const request of asked)
      expect(request.headers.accept).toBe('application/scim+json, application/json;q=0.9');
  });

  it('says which request failed when /Users answers badly', async () => {
    const provider = await ours({});
    provider.failFrom(1);
    const member = fixture.newMember();
    const result = await testConnection(member, await create(member, provider.url));
    expect(result).toMatchObject({ ok: false, httpStatus: 500 });
    expect(result.message).toMatch(/^GET \/Users failed: The SCIM service answered HTTP 500/);
  });

  it('maps users with the standard mapping: chosen email, names, addresses, phones, enterprise fields', async () => {
    const member = fixture.newMember();
    const { mappedUserPreview } = dataOf(
      await member.query<{
        mappedUserPreview: { externalId: string; attributes: unknown; errors: string[] }[];
      }>(MAPPED, { id: await create(member) }),
    );
    expect(mappedUserPreview).toEqual(
      users
        .slice(0, 8)
        .map((user) => ({ externalId: user.id, attributes: expectedScimAttributes(user), errors: [] })),
    );
  });

  it('reads "True"/"False" booleans as booleans for the mapping, and previews the raw users', async () => {
    const provider = await ours({ stringBooleans: true });
    const member = fixture.newMember();
    const id = await create(member, provider.url);
    const { userSchemaPreview } = dataOf(
      await member.query<{ userSchemaPreview: { sample: { active: unknown }[] } }>(
        'query ($id: ID!) { userSchemaPreview(connectorId: $id) { sample } }',
        { id },
      ),
    );
    expect(userSchemaPreview.sample[0]!.active).toBe('True');
    const { mappedUserPreview } = dataOf(
      await member.query<{ mappedUserPreview: { attributes: { email: string } }[] }>(MAPPED, { id }),
    );
    const emails = mappedUserPreview.map((preview) => preview.attributes.email);
    expect(emails).toEqual(scimUsers(3).map(expectedScimEmail));
  });

  it('never sends the stored token to another origin: a move needs the token again', async () => {
    const member = fixture.newMember();
    const id = await create(member);
    const elsewhere = await ours({});
    const UPDATE =
      'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { baseUrl } }';
    const moved = await member.query(UPDATE, { id, input: { baseUrl: elsewhere.url } });
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.auth'] });
    expect((await testConnection(member, id)).ok).toBe(true);
    expect(elsewhere.requests).toEqual([]);
    const withToken = await member.query(UPDATE, {
      id,
      input: { baseUrl: elsewhere.url, auth: { bearerToken: { token: TOKEN } } },
    });
    expect(dataOf(withToken)).toEqual({ updateConnector: { baseUrl: elsewhere.url } });
  });

  it('keeps /Users as the list endpoint and lets the mapping be changed like any other', async () => {
    const member = fixture.newMember();
    const id = await create(member);
    const update = await member.query(
      'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { id } }',
      {
        id,
        input: {
          listUsers: {
            path: '/people',
            resourceLocation: '.',
            totalCountSource: 'NONE',
            limitParam: 'l',
            offsetParam: 'o',
          },
        },
      },
    );
    expect(update.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/listUsers does not apply to a SCIM connector/),
      extensions: { code: 'BAD_USER_INPUT', fields: ['input.listUsers'] },
    });
    const SET =
      'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { mapping { entries { target sourcePath } } } }';
    const entries = [
      { target: 'EMAIL', sourcePath: '$.emails[0].value' },
      { target: 'USERNAME', sourcePath: '$.externalId' },
    ];
    const { setAttributeMapping } = dataOf(
      await member.query(SET, { id, m: { entries, statusPath: '$.active' } }),
    );
    expect(setAttributeMapping).toEqual({ mapping: { entries } });
    const { mappedUserPreview } = dataOf(
      await member.query<{ mappedUserPreview: { attributes: { username: string } }[] }>(MAPPED, { id }),
    );
    expect(mappedUserPreview[0]!.attributes.username).toBe(users[0]!.externalId);
  });
});
