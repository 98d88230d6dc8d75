import { dataOf, type TestServer } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { authorizeInBrowser } from './oauth-browser.js';
import { CLIENT_SECRET, startAuthorizationServer } from './oauth-server.js';

const CREATE = `mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id authorized authSummary } }`;
const TEST = 'mutation ($id: ID!) { testConnection(connectorId: $id) { ok httpStatus message } }';
const BEGIN = 'mutation ($id: ID!) { beginOAuthAuthorization(connectorId: $id) { authorizationUrl state } }';

describe('OAuth 2.0 authorization-code connectors, through the gateway', () => {
  let federation: Federation;
  let org: TestOrganization;
  let auth: Awaited<ReturnType<typeof startAuthorizationServer>>;
  let api: TestServer;
  beforeAll(async () => {
    federation = await startFederation();
    org = await federation.newOrganization();
    auth = await startAuthorizationServer(`${federation.gateway.url}/oauth/callback`);
    api = auth.api;
  });
  afterAll(async () => {
    await auth?.close();
    await federation?.stop();
  });

  async function createConnector(clientSecret = CLIENT_SECRET, clientId = 'uif-connector') {
    const input = {
      displayLabel: 'Workday-like HR',
      baseUrl: api.url,
      auth: { oauth2: { ...auth.urls, clientId, clientSecret, scopes: 'openid offline_access hr.read' } },
      listUsers: {
        path: '/users',
        resourceLocation: '.',
        totalCountSource: 'NONE',
        limitParam: 'limit',
        offsetParam: 'offset',
      },
    };
    return dataOf(
      await org.query<{ createCustomApiConnector: { id: string; authorized: boolean; authSummary: string } }>(
        CREATE,
        { input },
      ),
    ).createCustomApiConnector;
  }

  async function authorize(connectorId: string) {
    const { beginOAuthAuthorization } = dataOf(
      await org.query<{ beginOAuthAuthorization: { authorizationUrl: string; state: string } }>(BEGIN, {
        id: connectorId,
      }),
    );
    const callback = await authorizeInBrowser(
      beginOAuthAuthorization.authorizationUrl,
      `${federation.gateway.url}/oauth/callback`,
    );
    const page = await fetch(callback);
    return {
      begin: beginOAuthAuthorization,
      callback,
      page: { status: page.status, text: await page.text() },
    };
  }

  it('runs the whole flow: PKCE authorization, code exchange, calls with the token, refresh, revocation', async () => {
    const connector = await createConnector();
    expect(connector.authorized).toBe(false);
    expect(connector.authSummary).toBe(
      'OAuth 2.0 authorization code, client uif-connector, not authorized yet',
    );
    const notYet = dataOf(
      await org.query<{ testConnection: { ok: boolean; message: string } }>(TEST, { id: connector.id }),
    );
    expect(notYet.testConnection).toEqual({
      ok: false,
      httpStatus: null,
      message: 'The OAuth 2.0 authorization has not been completed for this connector',
    });

    const { begin, page } = await authorize(connector.id);
    const sent = new URL(begin.authorizationUrl);
    expect(sent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(sent.searchParams.get('redirect_uri')).toBe(`${federation.gateway.url}/oauth/callback`);
    expect(sent.searchParams.get('state')).toBe(begin.state);
    expect(page).toEqual({ status: 200, text: expect.stringContaining('Workday-like HR is authorized') });
    expect(auth.grants).toContain('authorization_code');

    const { connector: saved } = dataOf(
      await org.query<{ connector: { authorized: boolean } }>(
        'query ($id: ID!) { connector(id: $id) { authorized } }',
        { id: connector.id },
      ),
    );
    expect(saved.authorized).toBe(true);
    expect(
      dataOf(await org.query<{ testConnection: unknown }>(TEST, { id: connector.id })).testConnection,
    ).toMatchObject({ ok: true, httpStatus: 200 });

    // The provider drops the access token: the next call gets 401, refreshes once and goes through.
    const token = auth.seenTokens.at(-1)!;
    await (await auth.oidc.AccessToken.find(token))!.destroy();
    expect(
      dataOf(await org.query<{ testConnection: unknown }>(TEST, { id: connector.id })).testConnection,
    ).toMatchObject({ ok: true });
    expect(auth.grants.filter((g) => g === 'refresh_token')).toHaveLength(1);
    const refreshed = auth.seenTokens.at(-1)!;
    expect(refreshed).not.toBe(token);

    const deactivated = dataOf(
      await org.query<{ deactivateConnector: { state: string; authorized: boolean } }>(
        'mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state authorized } }',
        { id: connector.id },
      ),
    );
    expect(deactivated.deactivateConnector).toEqual({ state: 'DEACTIVATED', authorized: false });
    expect(await auth.oidc.AccessToken.find(refreshed)).toBeUndefined();
  });

  it('refuses a callback replayed with the same state and code', async () => {
    const connector = await createConnector();
    const { callback, page } = await authorize(connector.id);
    expect(page.status).toBe(200);
    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain(
      'This authorization was already used: start it again from the connector',
    );
  });

  it('says so when the provider refuses the client secret, and leaves the connector unauthorized', async () => {
    const connector = await createConnector('not-the-secret');
    const { page } = await authorize(connector.id);
    expect(page.status).toBe(400);
    expect(page.text).toContain('The provider did not exchange the authorization code: invalid_client');
    const { connector: saved } = dataOf(
      await org.query<{ connector: { authorized: boolean } }>(
        'query ($id: ID!) { connector(id: $id) { authorized } }',
        { id: connector.id },
      ),
    );
    expect(saved.authorized).toBe(false);
  });

  it('renews an access token about to expire before using it', async () => {
    const connector = await createConnector(CLIENT_SECRET, 'uif-short-lived');
    await authorize(connector.id);
    const refreshesBefore = auth.grants.filter((g) => g === 'refresh_token').length;
    const tokensBefore = auth.seenTokens.length;
    expect(
      dataOf(await org.query<{ testConnection: unknown }>(TEST, { id: connector.id })).testConnection,
    ).toMatchObject({ ok: true });
    expect(auth.grants.filter((g) => g === 'refresh_token')).toHaveLength(refreshesBefore + 1);
    // One request to the API: the renewed token was used from the start, no 401 first.
    expect(auth.seenTokens.length).toBe(tokensBefore + 1);
  });

  it('authenticates with HTTP basic when the provider asks for it', async () => {
    const connector = await createConnector(CLIENT_SECRET, 'uif-basic-only');
    const { page } = await authorize(connector.id);
    expect(page.status).toBe(200);
    expect(
      dataOf(await org.query<{ testConnection: unknown }>(TEST, { id: connector.id })).testConnection,
    ).toMatchObject({ ok: true });
  });

  it('refuses an unknown state, and needs the flow again after the credentials change', async () => {
    const unknown = await fetch(`${federation.gateway.url}/oauth/callback?code=abc&state=forged`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('This authorization is unknown');

    const connector = await createConnector();
    await authorize(connector.id);
    const changed = dataOf(
      await org.query<{ updateConnector: { authorized: boolean } }>(
        'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { authorized } }',
        { id: connector.id, input: { baseUrl: `${api.url}/v2` } },
      ),
    );
    expect(changed.updateConnector.authorized).toBe(false);
  });

  it('never returns, stores or logs a token or the client secret', async () => {
    const everything = await org.query(
      '{ connectors { id authSummary authorized baseUrl listUsers { path } } }',
    );
    const text = JSON.stringify(everything);
    expect(text).not.toContain(CLIENT_SECRET);
    for (const token of auth.seenTokens) expect(text).not.toContain(token);
    const rows = JSON.stringify(await federation.connector.dataSource.query('SELECT * FROM connectors'));
    expect(rows).not.toContain(CLIENT_SECRET);
    for (const token of auth.seenTokens.filter(Boolean)) expect(rows).not.toContain(token);
    const logs = federation.logs.join('\n');
    expect(federation.logs.length).toBeGreaterThan(10);
    expect(logs).not.toContain(CLIENT_SECRET);
    for (const token of auth.seenTokens.filter(Boolean)) expect(logs).not.toContain(token);
  });
});
