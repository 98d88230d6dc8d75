import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '@uif/runtime';
import { guardedFetch } from '@uif/provider-client';
import * as oauth from 'openid-client';
import { IsNull, LessThan, type DataSource } from 'typeorm';
import { AuthMethod, Connector } from '../connector/connector.entity.js';
import { ConnectorStateError } from '../connector/connector.errors.js';
import type { AuthSecrets } from '../connector/connector.types.js';
import type { OAuthTokenSource, TargetGuard } from '../provider/provider-access.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { Redactor, secretValues } from '../secrets/redaction.js';
import { OAuthState } from './oauth-state.entity.js';
import { OAuthCallbackError } from './oauth.errors.js';

const STATE_TTL_MS = 10 * 60 * 1000;
/** Renew an access token this long before it expires, so a request never carries a dying one. */
const EXPIRY_MARGIN_MS = 60 * 1000;

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

export interface OAuthSettings {
  /** The gateway's public origin: the provider sends the browser back to <origin>/oauth/callback. */
  publicUrl: string;
  allowInsecureHttp: boolean;
}

/**
 * The OAuth 2.0 authorization-code flow (PKCE S256) with openid-client: the authorization URL, the
 * callback's code exchange, token refresh and revocation. Tokens are stored encrypted.
 */
export class OAuthService implements OAuthTokenSource {
  /** One refresh at a time per connector, so parallel requests do not spend a rotating refresh token twice. */
  private readonly refreshing = new Map<string, Promise<string | null>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly guard: TargetGuard,
    private readonly settings: OAuthSettings,
    private readonly log: Logger,
  ) {}

  get redirectUri(): string {
    return new URL('/oauth/callback', this.settings.publicUrl).toString();
  }

  private configuration(connector: Connector, basicAuth = false): oauth.Configuration {
    const { authSettings } = connector;
    const { clientSecret } = this.secrets.open<AuthSecrets>(connector.encryptedSecrets);
    const config = new oauth.Configuration(
      {
        issuer: new URL(authSettings.authorizationUrl!).origin,
        authorization_endpoint: authSettings.authorizationUrl!,
        token_endpoint: authSettings.accessTokenUrl!,
        ...(authSettings.revokeUrl ? { revocation_endpoint: authSettings.revokeUrl } : {}),
      },
      authSettings.clientId!,
      undefined,
      basicAuth ? oauth.ClientSecretBasic(clientSecret!) : oauth.ClientSecretPost(clientSecret!),
    );
    if (this.settings.allowInsecureHttp) oauth.allowInsecureRequests(config);
    config[oauth.customFetch] = guardedFetch(this.guard.policy) as typeof fetch;
    return config;
  }

  async begin(connector: Connector): Promise<{ authorizationUrl: string; state: string }> {
    if (connector.authMethod !== AuthMethod.OAUTH2_AUTHORIZATION_CODE) {
      throw new ConnectorStateError(`Connector ${connector.id} does not use OAuth 2.0`);
    }
    const state = randomBytes(32).toString('base64url');
    const verifier = oauth.randomPKCECodeVerifier();
    const repository = this.dataSource.getRepository(OAuthState);
    await repository.delete({ expiresAt: LessThan(new Date()) });
    await repository.insert({
      stateHash: hashState(state),
      organizationId: connector.organizationId,
      connectorId: connector.id,
      encryptedVerifier: this.secrets.seal(verifier),
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
      usedAt: null,
    });
    const url = oauth.buildAuthorizationUrl(this.configuration(connector), {
      redirect_uri: this.redirectUri,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(connector.authSettings.scopes ? { scope: connector.authSettings.scopes } : {}),
    });
    return { authorizationUrl: url.toString(), state };
  }

  /** Completes the flow for the connector named by `state` (single use, 10 minutes). */
  async complete(callbackUrl: URL): Promise<Connector> {
    const state = callbackUrl.searchParams.get('state');
    if (!state) throw new OAuthCallbackError('The callback carries no state');
    const claimed = await this.claimState(state);
    const connector = await this.dataSource.getRepository(Connector).findOneBy({
      id: claimed.connectorId,
      organizationId: claimed.organizationId,
    });
    if (!connector) throw new OAuthCallbackError('The connector of this authorization no longer exists');
    const providerError = callbackUrl.searchParams.get('error');
    if (providerError) {
      const description = callbackUrl.searchParams.get('error_description');
      throw new OAuthCallbackError(
        this.quote(
          connector,
          `The provider refused the authorization: ${providerError}${description ? ` (${description})` : ''}`,
        ),
      );
    }
    // The answer as the provider addressed it (the code is bound to that redirect_uri). The issuer
    // of a provider configured by hand is unknown: the state already binds the answer, so drop `iss`.
    const answer = new URL(this.redirectUri);
    answer.search = callbackUrl.search;
    answer.searchParams.delete('iss');
    const verifier = this.secrets.open<string>(claimed.encryptedVerifier);
    const tokens = await this.withClientAuth(connector, (config) =>
      oauth.authorizationCodeGrant(config, answer, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        idTokenExpected: false,
      }),
    ).catch((error: unknown) => {
      throw new OAuthCallbackError(
        `The provider did not exchange the authorization code: ${this.quote(connector, describeOAuthError(error))}`,
      );
    });
    await this.storeTokens(connector, tokens);
    connector.authorized = true;
    connector.updatedAt = new Date();
    // Only what the authorization changes: the rest may have changed while the admin was away.
    const { encryptedSecrets, authorized, updatedAt } = connector;
    const repository = this.dataSource.getRepository(Connector);
    await repository.update(
      { id: connector.id, organizationId: connector.organizationId },
      { encryptedSecrets, authorized, updatedAt },
    );
    return repository.findOneByOrFail({ id: connector.id, organizationId: connector.organizationId });
  }

  async accessToken(connector: Connector, forceRefresh: boolean): Promise<string | null> {
    const secrets = this.secrets.open<AuthSecrets>(connector.encryptedSecrets);
    if (!connector.authorized || !secrets.accessToken) return null;
    const expiring =
      secrets.accessTokenExpiresAt != null && secrets.accessTokenExpiresAt - EXPIRY_MARGIN_MS < Date.now();
    if (!forceRefresh && !expiring) return secrets.accessToken;
    if (!secrets.refreshToken) return forceRefresh ? null : secrets.accessToken;
    const running = this.refreshing.get(connector.id);
    if (running) return running;
    const refresh = this.refresh(connector, secrets.refreshToken).finally(() =>
      this.refreshing.delete(connector.id),
    );
    this.refreshing.set(connector.id, refresh);
    return refresh;
  }

  /** Revokes the tokens at the revoke URL when there is one; a refusal is logged, not fatal. */
  async revoke(connector: Connector): Promise<void> {
    if (connector.authMethod !== AuthMethod.OAUTH2_AUTHORIZATION_CODE || !connector.authSettings.revokeUrl)
      return;
    const secrets = this.secrets.open<AuthSecrets>(connector.encryptedSecrets);
    for (const token of [secrets.refreshToken, secrets.accessToken]) {
      if (!token) continue;
      await this.withClientAuth(connector, (config) => oauth.tokenRevocation(config, token)).catch(
        (error: unknown) =>
          this.log.warn(
            { connectorId: connector.id, reason: this.quote(connector, describeOAuthError(error)) },
            'the provider did not revoke a token',
          ),
      );
    }
    const { clientSecret } = secrets;
    connector.encryptedSecrets = this.secrets.seal({ clientSecret });
    connector.authorized = false;
  }

  /**
   * Renews the access token and stores only the token column, and only while it still holds the
   * tokens this refresh started from: a deactivation, a new authorization or new credentials that
   * came meanwhile win, and the renewed token is dropped (never written over them, nor used).
   */
  private async refresh(connector: Connector, refreshToken: string): Promise<string | null> {
    const startedFrom = connector.encryptedSecrets;
    try {
      const tokens = await this.withClientAuth(connector, (config) =>
        oauth.refreshTokenGrant(config, refreshToken),
      );
      await this.storeTokens(connector, tokens);
      const { affected } = await this.dataSource
        .getRepository(Connector)
        .update(
          { id: connector.id, organizationId: connector.organizationId, encryptedSecrets: startedFrom },
          { encryptedSecrets: connector.encryptedSecrets },
        );
      if (!affected) {
        this.log.info(
          { connectorId: connector.id },
          'the connector changed while its OAuth token was renewed: the renewed token is dropped',
        );
        return null;
      }
      return tokens.access_token;
    } catch (error) {
      this.log.warn(
        { connectorId: connector.id, reason: this.quote(connector, describeOAuthError(error)) },
        'refreshing the OAuth token failed',
      );
      return null;
    }
  }

  /** What a provider said, without the secrets this connector sends it (an echo hands them back). */
  private quote(connector: Connector, text: string): string {
    return new Redactor(secretValues(this.secrets.open<AuthSecrets>(connector.encryptedSecrets))).text(text);
  }

  /** client_secret_post first; client_secret_basic when the provider answers invalid_client. */
  private async withClientAuth<T>(
    connector: Connector,
    call: (config: oauth.Configuration) => Promise<T>,
  ): Promise<T> {
    try {
      return await call(this.configuration(connector));
    } catch (error) {
      if (oauthErrorOf(error).code !== 'invalid_client') throw error;
      return call(this.configuration(connector, true));
    }
  }

  private async storeTokens(
    connector: Connector,
    tokens: oauth.TokenEndpointResponse & oauth.TokenEndpointResponseHelpers,
  ) {
    const previous = this.secrets.open<AuthSecrets>(connector.encryptedSecrets);
    const expiresIn = tokens.expiresIn();
    connector.encryptedSecrets = this.secrets.seal({
      clientSecret: previous.clientSecret,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? previous.refreshToken ?? null,
      accessTokenExpiresAt: expiresIn === undefined ? null : Date.now() + expiresIn * 1000,
    } satisfies AuthSecrets);
  }

  private async claimState(state: string): Promise<OAuthState> {
    const repository = this.dataSource.getRepository(OAuthState);
    const stateHash = hashState(state);
    const found = await repository.findOneBy({ stateHash });
    if (!found)
      throw new OAuthCallbackError('This authorization is unknown: start it again from the connector');
    if (found.usedAt)
      throw new OAuthCallbackError('This authorization was already used: start it again from the connector');
    if (found.expiresAt.getTime() < Date.now()) {
      throw new OAuthCallbackError(
        'This authorization expired (10 minutes): start it again from the connector',
      );
    }
    const { affected } = await repository.update({ stateHash, usedAt: IsNull() }, { usedAt: new Date() });
    if (!affected)
      throw new OAuthCallbackError('This authorization was already used: start it again from the connector');
    return found;
  }
}

/** The OAuth error code and description, from the body or from a WWW-Authenticate challenge. */
function oauthErrorOf(error: unknown): { code?: string; description?: string } {
  const {
    error: code,
    error_description: description,
    cause,
  } = error as {
    error?: string;
    error_description?: string;
    cause?: unknown;
  };
  if (code) return { code, ...(description ? { description } : {}) };
  const challenge = Array.isArray(cause) ? (cause[0] as { parameters?: Record<string, string> }) : undefined;
  const { error: challengeCode, error_description: challengeDescription } = challenge?.parameters ?? {};
  if (!challengeCode) return {};
  return { code: challengeCode, ...(challengeDescription ? { description: challengeDescription } : {}) };
}

export function describeOAuthError(error: unknown): string {
  const { code, description } = oauthErrorOf(error);
  if (code) return description ? `${code}: ${description}` : code;
  return error instanceof Error ? error.message : String(error);
}
