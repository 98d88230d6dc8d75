import { guardedFetch, ProviderError } from '@uif/provider-client';
import * as oauth from 'openid-client';
import type { Connector } from '../connector/connector.entity.js';
import type { AuthSecrets } from '../connector/connector.types.js';
import type { TargetGuard } from '../provider/provider-access.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { describeOAuthError } from './oauth.service.js';

/** Fetch a new token this long before the cached one expires, so no request carries a dying token. */
const EXPIRY_MARGIN_MS = 30 * 1000;
/** A token given without expires_in is kept this long before it is fetched again. */
const UNDATED_TOKEN_MS = 10 * 60 * 1000;

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

/**
 * OAuth 2.0 client credentials with openid-client: one token per connector, held in memory (never
 * stored, never logged) until shortly before it expires, fetched anew once when a provider answers
 * 401. A saved change to the connector makes its cached token unusable.
 */
export class ClientCredentialsTokens {
  private readonly tokens = new Map<string, CachedToken>();
  /** One token request at a time per connector: pages read in parallel share it. */
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(
    private readonly secrets: SecretBox,
    private readonly guard: TargetGuard,
    private readonly allowInsecureHttp: boolean,
  ) {}

  async accessToken(connector: Connector, forceRenewal: boolean): Promise<string> {
    const key = `${connector.id}@${connector.updatedAt.getTime()}`;
    const cached = this.tokens.get(key);
    if (!forceRenewal && cached && cached.expiresAt - EXPIRY_MARGIN_MS > Date.now())
      return cached.accessToken;
    const running = this.fetching.get(key);
    if (running) return running;
    const request = this.request(connector)
      .then((token) => {
        for (const other of this.tokens.keys())
          if (other.startsWith(`${connector.id}@`)) this.tokens.delete(other);
        this.tokens.set(key, token);
        return token.accessToken;
      })
      .finally(() => this.fetching.delete(key));
    this.fetching.set(key, request);
    return request;
  }

  private async request(connector: Connector): Promise<CachedToken> {
    const { accessTokenUrl, clientId, scopes, audience, credentialsInBody } = connector.authSettings;
    const { clientSecret } = this.secrets.open<AuthSecrets>(connector.encryptedSecrets);
    const config = new oauth.Configuration(
      { issuer: new URL(accessTokenUrl!).origin, token_endpoint: accessTokenUrl! },
      clientId!,
      undefined,
      credentialsInBody ? oauth.ClientSecretPost(clientSecret!) : oauth.ClientSecretBasic(clientSecret!),
    );
    if (this.allowInsecureHttp) oauth.allowInsecureRequests(config);
    config[oauth.customFetch] = guardedFetch(this.guard.policy) as typeof fetch;
    try {
      const tokens = await oauth.clientCredentialsGrant(config, {
        ...(scopes ? { scope: scopes } : {}),
        ...(audience ? { audience } : {}),
      });
      const expiresIn = tokens.expiresIn();
      return {
        accessToken: tokens.access_token,
        expiresAt: Date.now() + (expiresIn === undefined ? UNDATED_TOKEN_MS : expiresIn * 1000),
      };
    } catch (error) {
      if (error instanceof ProviderError) throw error; // not reached, or refused by the SSRF guard
      // The provider's own answer (status and error body) travels with the error for the connection test.
      const { status, cause } = error as { status?: number; cause?: unknown };
      throw new ProviderError(
        `The token endpoint ${accessTokenUrl} did not issue a token for client ${clientId}: ${describeOAuthError(error)}`,
        {
          ...(typeof status === 'number' ? { status } : {}),
          ...(cause && typeof cause === 'object' && !Array.isArray(cause)
            ? { body: JSON.stringify(cause) }
            : {}),
          url: accessTokenUrl!,
        },
      );
    }
  }
}
