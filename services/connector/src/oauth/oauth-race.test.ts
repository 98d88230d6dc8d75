import { IDENTITY_HEADER, PUBLIC_LINK_SERVICE, signIdentity } from '@uif/runtime';
import { dataOf, mapAndActivate, sendJson, startTestServer, type TestServer } from '@uif/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConnectorFixture, type ConnectorFixture } from '../testing/connector-fixture.js';

type Member = ReturnType<ConnectorFixture['newMember']>;

/**
 * A token endpoint that answers the code exchange at once and holds each refresh until the test
 * lets it go, and an API that accepts only the latest access token: a refresh can be caught
 * mid-flight while the admin changes the connector.
 */
async function startHeldTokenServer() {
  let issued = 0;
  let current = '';
  const held: (() => void)[] = [];
  /** Set: the API refuses the current token (it expired), which sends the connector to refresh. */
  const api = { expired: false };
  const token = await startTestServer(async ({ url }, response) => {
    if (url.pathname === '/revoke') return sendJson(response, 200, {});
    const first = issued === 0;
    issued += 1;
    if (!first) await new Promise<void>((resolve) => held.push(resolve));
    current = `access-${issued}-8d1e6c`;
    sendJson(response, 200, {
      access_token: current,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: `refresh-${issued}-8d1e6c`,
    });
  });
  const apiServer = await startTestServer(({ headers }, response) =>
    headers.authorization === `Bearer ${current}` && !api.expired
      ? sendJson(response, 200, [{ id: 'u1', email: 'ada@hr.example', login: 'ada' }])
      : sendJson(response, 401, { error: 'invalid_token' }),
  );
  return {
    token,
    api: Object.assign(api, { url: apiServer.url }),
    /** Resolves once a refresh is waiting at the token endpoint. */
    async refreshArrived(): Promise<void> {
      const deadline = Date.now() + 5_000;
      while (!held.length) {
        if (Date.now() > deadline) throw new Error('no refresh reached the token endpoint');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    release(): void {
      held.splice(0).forEach((resolve) => resolve());
    },
    close: () => Promise.all([token.close(), apiServer.close()]),
  };
}

const CONNECTOR = 'state authorized authSummary baseUrl';

describe('an OAuth token refresh racing a change of the connector', () => {
  let fixture: ConnectorFixture;
  let servers: Awaited<ReturnType<typeof startHeldTokenServer>>;
  beforeAll(async () => {
    fixture = await startConnectorFixture();
  });
  beforeEach(async () => {
    servers = await startHeldTokenServer();
  });
  afterEach(async () => {
    servers.release();
    await servers.close();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  /** An active OAuth connector whose access token the API has just stopped accepting. */
  async function activeWithExpiredToken(member: Member, token: TestServer): Promise<string> {
    const { createCustomApiConnector } = dataOf(
      await member.query<{ createCustomApiConnector: { id: string } }>(
        'mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id } }',
        {
          input: {
            displayLabel: 'HR',
            baseUrl: servers.api.url,
            auth: {
              oauth2: {
                authorizationUrl: `${token.url}/authorize`,
                accessTokenUrl: `${token.url}/token`,
                revokeUrl: `${token.url}/revoke`,
                clientId: 'uif',
                clientSecret: 'client-secret-3b9f',
              },
            },
            listUsers: {
              path: '/users',
              resourceLocation: '.',
              totalCountSource: 'NONE',
              limitParam: 'limit',
              offsetParam: 'offset',
            },
          },
        },
      ),
    );
    const id = createCustomApiConnector.id;
    const { beginOAuthAuthorization } = dataOf(
      await member.query<{ beginOAuthAuthorization: { state: string } }>(
        'mutation ($id: ID!) { beginOAuthAuthorization(connectorId: $id) { state } }',
        { id },
      ),
    );
    const callback = await fetch(
      `${fixture.connector.url}/internal/oauth/callback?code=granted&state=${beginOAuthAuthorization.state}`,
      {
        headers: {
          [IDENTITY_HEADER]: signIdentity(
            { kind: 'service', service: PUBLIC_LINK_SERVICE },
            fixture.internalSecret,
          ),
        },
      },
    );
    expect(callback.status).toBe(200);
    const mapping = {
      entries: [
        { target: 'EMAIL', sourcePath: '$.email' },
        { target: 'USERNAME', sourcePath: '$.login' },
      ],
    };
    await mapAndActivate(member.query, id, mapping);
    servers.api.expired = true;
    return id;
  }

  /** A connection test whose 401 sends the connector to refresh its token, held at the endpoint. */
  async function refreshInFlight(member: Member, id: string) {
    const test = member.query('mutation ($id: ID!) { testConnection(connectorId: $id) { ok } }', { id });
    await servers.refreshArrived();
    servers.api.expired = false;
    return { test };
  }

  const connector = async (member: Member, id: string) =>
    dataOf(
      await member.query<{ connector: Record<string, unknown> }>(
        `query ($id: ID!) { connector(id: $id) { ${CONNECTOR} } }`,
        { id },
      ),
    ).connector;

  it('ends DEACTIVATED when the connector is deactivated during the refresh', async () => {
    const member = fixture.newMember();
    const id = await activeWithExpiredToken(member, servers.token);
    const { test } = await refreshInFlight(member, id);
    const deactivated = dataOf(
      await member.query('mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state } }', { id }),
    );
    expect(deactivated).toEqual({ deactivateConnector: { state: 'DEACTIVATED' } });
    servers.release();
    await test;
    expect(await connector(member, id)).toMatchObject({ state: 'DEACTIVATED', authorized: false });
  });

  it('keeps the new credentials when they are changed during the refresh', async () => {
    const member = fixture.newMember();
    const id = await activeWithExpiredToken(member, servers.token);
    const { test } = await refreshInFlight(member, id);
    dataOf(
      await member.query(
        'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { id } }',
        { id, input: { auth: { bearerToken: { token: 'a-new-bearer-token' } } } },
      ),
    );
    servers.release();
    await test;
    expect(await connector(member, id)).toMatchObject({
      state: 'ACTIVE',
      authorized: true,
      authSummary: 'Bearer token',
    });
  });
});
