import { createActiveConnector, dataOf, employee, startHrProvider, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { runImport } from './import-helpers.js';
import { CLIENT_SECRET, startAuthorizationServer } from './oauth-server.js';

const staff = Array.from({ length: 7 }, (_, i) => employee(i + 1));
const TENANT = 'tenant-0b4e2c';
const BASIC_PASSWORD = 'basic-password-93d1a7';

interface TestResult {
  ok: boolean;
  httpStatus: number | null;
  message: string;
  providerResponse: string | null;
}

describe('client credentials, HTTP Basic and extra headers', () => {
  let federation: Federation;
  let auth: Awaited<ReturnType<typeof startAuthorizationServer>>;
  /** An HR API that takes only the authorization server's client-credentials tokens and wants X-Tenant. */
  let machineApi: HrProvider;
  let basicApi: HrProvider;
  const tokensUsed: string[] = [];
  beforeAll(async () => {
    federation = await startFederation();
    auth = await startAuthorizationServer(`${federation.gateway.url}/oauth/callback`);
    machineApi = await startHrProvider({
      users: staff,
      total: { header: 'X-Total-Count' },
      authorize: async (headers) => {
        const token = headers.authorization?.replace(/^Bearer /, '') ?? '';
        tokensUsed.push(token);
        return headers['x-tenant'] === TENANT && Boolean(await auth.oidc.ClientCredentials.find(token));
      },
    });
    basicApi = await startHrProvider({
      users: staff,
      total: { header: 'X-Total-Count' },
      authorize: (headers) =>
        headers.authorization === `Basic ${Buffer.from(`acme-sync:${BASIC_PASSWORD}`).toString('base64')}` &&
        headers['x-tenant'] === TENANT &&
        headers['x-api-version'] === '2024-01',
    });
  });
  afterAll(async () => {
    await Promise.all([auth?.close(), machineApi?.close(), basicApi?.close()]);
    await federation?.stop();
  });

  const clientCredentials = (clientId: string, extra: Record<string, unknown> = {}) => ({
    oauth2ClientCredentials: {
      accessTokenUrl: auth.urls.accessTokenUrl,
      clientId,
      clientSecret: CLIENT_SECRET,
      scopes: 'hr.read',
      ...extra,
    },
  });
  const listUsers = (extraHeaders: { name: string; value: string }[]) => ({
    path: '/employees',
    resourceLocation: '.',
    totalCountSource: 'HEADER',
    totalCountLocation: 'X-Total-Count',
    limitParam: 'limit',
    offsetParam: 'offset',
    pageSize: 2,
    extraHeaders,
  });
  const grants = () => auth.grants.filter((grant) => grant === 'client_credentials').length;

  async function create(org: TestOrganization, authInput: Record<string, unknown>, baseUrl = machineApi.url) {
    const { createCustomApiConnector } = dataOf(
      await org.query<{ createCustomApiConnector: { id: string; authMethod: string; authSummary: string } }>(
        'mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id authMethod authSummary listUsers { extraHeaderNames } } }',
        {
          input: {
            displayLabel: 'Machine HR',
            baseUrl,
            auth: authInput,
            listUsers: listUsers([{ name: 'X-Tenant', value: TENANT }]),
          },
        },
      ),
    );
    return createCustomApiConnector;
  }

  async function testConnection(org: TestOrganization, id: string): Promise<TestResult> {
    return dataOf(
      await org.query<{ testConnection: TestResult }>(
        'mutation ($id: ID!) { testConnection(connectorId: $id) { ok httpStatus message providerResponse } }',
        { id },
      ),
    ).testConnection;
  }

  it('fetches one client-credentials token and reuses it across the test, activation and every page', async () => {
    const org = await federation.newOrganization();
    const before = grants();
    const connectorId = await createActiveConnector(org.query, machineApi.url, 2, {
      auth: clientCredentials('uif-machine'),
      listUsers: listUsers([{ name: 'X-Tenant', value: TENANT }]),
    });
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { fetched: 7, created: 7 } });
    expect(grants() - before).toBe(1);
    const used = tokensUsed.slice(-4);
    expect(new Set(used).size).toBe(1);

    // Deactivated, the connector keeps no token: activated again, it asks for a new one.
    dataOf(
      await org.query('mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state } }', {
        id: connectorId,
      }),
    );
    dataOf(
      await org.query('mutation ($id: ID!) { activateConnector(connectorId: $id) { state } }', {
        id: connectorId,
      }),
    );
    expect(grants() - before).toBe(2);
    expect(tokensUsed.at(-1)).not.toBe(used.at(-1));
  });

  it('sends the client id and secret in the form body when asked (a client that takes no Basic header)', async () => {
    const org = await federation.newOrganization();
    const { id } = await create(org, clientCredentials('uif-machine-post', { credentialsInBody: true }));
    expect(await testConnection(org, id)).toMatchObject({ ok: true, httpStatus: 200 });
  });

  it('renews a token shortly before it expires, and once after a 401', async () => {
    const org = await federation.newOrganization();
    const { id, authSummary } = await create(org, clientCredentials('uif-machine-short'));
    expect(authSummary).toBe('OAuth 2.0 client credentials, client uif-machine-short');
    const before = grants();
    expect(await testConnection(org, id)).toMatchObject({ ok: true });
    expect(await testConnection(org, id)).toMatchObject({ ok: true });
    expect(grants() - before).toBe(1);
    // The server's tokens live 2 s: the connector renews them once half that has passed.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await testConnection(org, id)).toMatchObject({ ok: true });
    expect(grants() - before).toBe(2);

    // The server forgets the token (revoked, restarted): the 401 brings one new token, then success.
    const current = tokensUsed.at(-1)!;
    await (await auth.oidc.ClientCredentials.find(current))!.destroy();
    expect(await testConnection(org, id)).toMatchObject({ ok: true, httpStatus: 200 });
    expect(grants() - before).toBe(3);
    expect(tokensUsed.at(-2)).toBe(current);
    expect(tokensUsed.at(-1)).not.toBe(current);
  });

  it("shows the authorization server's error for a client it no longer knows", async () => {
    const org = await federation.newOrganization();
    const { id } = await create(org, clientCredentials('uif-machine-retired'));
    const result = await testConnection(org, id);
    expect(result).toMatchObject({ ok: false, httpStatus: 401 });
    expect(result.message).toBe(
      `The token endpoint ${auth.urls.accessTokenUrl} did not issue a token for client uif-machine-retired: invalid_client: client authentication failed`,
    );
    expect(JSON.parse(result.providerResponse!)).toMatchObject({ error: 'invalid_client' });
  });

  it('sends HTTP Basic and every extra header to the provider, and returns neither value', async () => {
    const org = await federation.newOrganization();
    const extraHeaders = [
      { name: 'X-Tenant', value: TENANT },
      { name: 'X-Api-Version', value: '2024-01' },
    ];
    const connectorId = await createActiveConnector(org.query, basicApi.url, 2, {
      auth: { basic: { username: 'acme-sync', password: BASIC_PASSWORD } },
      listUsers: listUsers(extraHeaders),
    });
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE'] });
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { created: 7 } });
    const answer = await org.query<{ connector: unknown }>(
      'query ($id: ID!) { connector(id: $id) { authMethod authSummary listUsers { extraHeaderNames } } }',
      { id: connectorId },
    );
    expect(dataOf(answer).connector).toEqual({
      authMethod: 'BASIC',
      authSummary: 'HTTP Basic as acme-sync',
      listUsers: { extraHeaderNames: ['X-Tenant', 'X-Api-Version'] },
    });
    const said = JSON.stringify(answer) + federation.logs.join('\n');
    expect(said).not.toContain(BASIC_PASSWORD);
    expect(said).not.toContain(TENANT);
  });

  it('keeps the extra headers when the listing is changed without them, and replaces them when given', async () => {
    const org = await federation.newOrganization();
    const { id } = await create(org, clientCredentials('uif-machine'));
    const update = (input: Record<string, unknown>) =>
      org.query<{ updateConnector: { listUsers: { extraHeaderNames: string[] } } }>(
        'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { listUsers { extraHeaderNames } } }',
        { id, input },
      );
    const { extraHeaders: _, ...withoutHeaders } = listUsers([]);
    expect(dataOf(await update({ listUsers: { ...withoutHeaders, pageSize: 3 } })).updateConnector).toEqual({
      listUsers: { extraHeaderNames: ['X-Tenant'] },
    });
    expect(await testConnection(org, id)).toMatchObject({ ok: true });
    expect(dataOf(await update({ listUsers: listUsers([]) })).updateConnector).toEqual({
      listUsers: { extraHeaderNames: [] },
    });
    expect(await testConnection(org, id)).toMatchObject({ ok: false, httpStatus: 401 });
  });
});
