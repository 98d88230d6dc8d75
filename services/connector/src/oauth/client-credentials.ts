import { guardedFetch, ProviderError } from '@uif/provider-client';
import * as oauth from 'openid-client';
import type { Connector } from '../connector/connector.entity.js';
import type { AuthSecrets } from '../connector/connector.types.js';
import type { TargetGuard } from '../provider/provider-access.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { describeOAuthError } from './oauth.service.js';

/**
 * Fetch a new token this long before the cached one expires, so no request carries a dying token;
 * for short-lived tokens, once half their life has passed.
 */
const EXPIRY_MARGIN_MS = 30 * 1000;
/** A token given without expires_in is kept this long before it is fetched again. */
const UNDATED_TOKEN_MS = 10 * 60 * 1000;

interface CachedToken {
  accessToken: string;
  /** When to fetch a new one (milliseconds since the epoch). */
  renewAt: number;
  /** The credentials it was fetched with: a token of replaced credentials is never used. */
  credentials: string;
}

const credentialsOf = (connector: Connector) =>
  `${connector.encryptedSecrets}\n${JSON.stringify(connector.authSettings)}`;

/**
 * OAuth 2.0 client credentials with openid-client: one token per connector, held in memory (never
 * stored, never logged) until shortly before it expires, fetched anew once when a provider answers
 * 401. New credentials make the cached token unusable.
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

  cachedToken(connector: Connector): string | null {
    return this.tokens.get(connector.id)?.accessToken ?? null;
  }

  forget(connectorId: string): void {
    this.tokens.delete(connectorId);
  }

  async accessToken(connector: Connector, forceRenewal: boolean): Promise<string> {
    const credentials = credentialsOf(connector);
    const cached = this.tokens.get(connector.id);
    const usable = cached?.credentials === credentials && cached.renewAt > Date.now();
    if (usable && !forceRenewal) return cached.accessToken;
    const running = this.fetching.get(connector.id);
    if (running) return running;
    const request = this.request(connector, credentials)
      .then((token) => {
        this.tokens.set(connector.id, token);
        return token.accessToken;
      })
      .finally(() => this.fetching.delete(connector.id));
    this.fetching.set(connector.id, request);
    return request;
  }

  private async request(connector: Connector, credentials: string): Promise<CachedToken> {
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
      const lifetime = expiresIn === undefined ? UNDATED_TOKEN_MS : expiresIn * 1000;
      return {
        accessToken: tokens.access_token,
        renewAt: Date.now() + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 2),
        credentials,
      };
    } catch (error) {
      if (error instanceof ProviderError) throw error; // not reached, or refused by the SSRF guard
      // The provider's own answer (status and body) travels with the error for the connection test.
      const { status } = error as { status?: unknown };
      const body = await answerBodyOf(error);
      throw new ProviderError(
        `The token endpoint ${accessTokenUrl} did not issue a token for client ${clientId}: ${describeOAuthError(error)}`,
        {
          ...(typeof status === 'number' ? { status } : {}),
          ...(body !== undefined ? { body } : {}),
          url: accessTokenUrl!,
        },
      );
    }
  }
}

/** The token endpoint's answer body, as openid-client's error keeps it (read or still unread). */
async function answerBodyOf(error: unknown): Promise<string | undefined> {
  const { response, cause } = error as { response?: unknown; cause?: unknown };
  if (response instanceof Response && !response.bodyUsed) return response.text().catch(() => undefined);
  if (cause && typeof cause === 'object' && !Array.isArray(cause)) return JSON.stringify(cause);
  return undefined;
}
