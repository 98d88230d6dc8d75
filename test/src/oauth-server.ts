import type { Server } from 'node:http';
import { freePort, startHrProvider } from '@uif/testing';
import Provider from 'oidc-provider';

export const CLIENT_SECRET = 'client-secret-5e1f0a93';

/** A real OAuth 2.0 authorization server (oidc-provider) and an HR API that accepts only its tokens. */
export async function startAuthorizationServer(redirectUri: string) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const grants: string[] = [];
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: 'uif-connector',
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        client_id: 'uif-short-lived',
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        client_id: 'uif-basic-only',
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      // Machine to machine (client credentials): with a Basic header, in the form body, and short-lived.
      ...(
        [
          ['uif-machine', 'client_secret_basic'],
          ['uif-machine-post', 'client_secret_post'],
          ['uif-machine-short', 'client_secret_basic'],
        ] as const
      ).map(([client_id, token_endpoint_auth_method]) => ({
        client_id,
        client_secret: CLIENT_SECRET,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method,
        scope: 'hr.read',
      })),
    ],
    scopes: ['openid', 'offline_access', 'hr.read'],
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
    },
    pkce: { required: () => true },
    // Tokens of this client expire inside the connector's renewal margin, so each use renews first.
    ttl: {
      AccessToken: (_ctx, _token, client) => (client?.clientId === 'uif-short-lived' ? 30 : 3600),
      ClientCredentials: (_ctx, _token, client) => (client?.clientId === 'uif-machine-short' ? 2 : 3600),
    },
    issueRefreshToken: async () => true,
    findAccount: async (_ctx, accountId) => ({ accountId, claims: async () => ({ sub: accountId }) }),
  });
  oidc.on('grant.success', (ctx) => grants.push(String(ctx.oidc.params?.grant_type)));
  // Opaque refresh tokens are their jti: what a secrets check searches for.
  const refreshTokens: string[] = [];
  oidc.on('refresh_token.saved', (token) => refreshTokens.push(token.jti));
  const server = await new Promise<Server>((resolve) => {
    const s = oidc.listen(port, '127.0.0.1', () => resolve(s));
  });
  const seenTokens: string[] = [];
  const api = await startHrProvider({
    users: [{ id: 'u1', email: 'ada@hr.example', login: 'ada' }],
    authorize: async (headers) => {
      const token = headers.authorization?.replace(/^Bearer /, '') ?? '';
      seenTokens.push(token);
      return Boolean((await oidc.AccessToken.find(token)) ?? (await oidc.ClientCredentials.find(token)));
    },
  });
  return {
    oidc,
    api,
    grants,
    seenTokens,
    refreshTokens,
    urls: {
      authorizationUrl: `${issuer}/auth`,
      accessTokenUrl: `${issuer}/token`,
      revokeUrl: `${issuer}/token/revocation`,
    },
    async close() {
      await api.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
