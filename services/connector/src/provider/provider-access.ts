import { pathGuardProblem } from '@uif/mapping';
import {
  assertPublicTarget,
  type HttpPolicy,
  type ListUsersConfig,
  type ProviderAuth,
} from '@uif/provider-client';
import type { Connector } from '../connector/connector.entity.js';
import { AuthMethod } from '../connector/connector.entity.js';
import { TotalCountSource, type AuthSecrets } from '../connector/connector.types.js';
import { ConnectorStateError, NoListUsersEndpointError } from '../connector/connector.errors.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { Redactor, secretValues } from '../secrets/redaction.js';

/** Renews an OAuth access token; returns the headers to use, or null when it cannot. */
export interface OAuthTokenSource {
  accessToken(connector: Connector, forceRefresh: boolean): Promise<string | null>;
}

/** Client-credentials tokens: fetched (or renewed, when forced) as needed; throws with the provider's error. */
export interface ClientTokenSource {
  accessToken(connector: Connector, forceRenewal: boolean): Promise<string>;
  /** The token held for the connector now, if any (to redact it from provider answers). */
  cachedToken(connector: Connector): string | null;
  /** Drops the connector's token: it is not kept for a connector that no longer syncs. */
  forget(connectorId: string): void;
}

/** Basic's credentials as they travel: base64 of `username:password`. */
const basicCredentials = (connector: Connector, password: string): string =>
  Buffer.from(`${connector.authSettings.username!}:${password}`).toString('base64');

/** The HTTP policy for every call to a provider, and the SSRF check of the URLs an admin saves. */
export class TargetGuard {
  constructor(readonly policy: HttpPolicy) {}

  /** Refuses URLs into the private network when the guard is on (checked again on every connection). */
  async checkTarget(url: string): Promise<void> {
    if (!this.policy.allowPrivateNetwork)
      await assertPublicTarget(new URL(url), this.policy.privateAllowlist, this.policy.resolver);
  }
}

/** How the connector reaches its provider: the listing configuration and the credentials. */
export class ProviderAccess {
  constructor(
    private readonly secrets: SecretBox,
    private readonly guard: TargetGuard,
    private readonly oauth: OAuthTokenSource,
    private readonly clientTokens: ClientTokenSource,
  ) {}

  get policy(): HttpPolicy {
    return this.guard.policy;
  }

  checkTarget(url: string): Promise<void> {
    return this.guard.checkTarget(url);
  }

  /** Forgets the tokens held in memory for the connector (its stored OAuth tokens are revoked apart). */
  forgetTokens(connectorId: string): void {
    this.clientTokens.forget(connectorId);
  }

  listUsersConfig(connector: Connector, query?: string | null): ListUsersConfig {
    if (!connector.listUsers) throw new NoListUsersEndpointError(connector.id);
    // Saved before such paths were refused: it would be evaluated against every page.
    const { totalCountSource, totalCountLocation } = connector.listUsers;
    const refused =
      totalCountSource === TotalCountSource.BODY && totalCountLocation
        ? pathGuardProblem(totalCountLocation)
        : null;
    if (refused) throw new ConnectorStateError(`Save listUsers again: its totalCountLocation ${refused}`);
    return { baseUrl: connector.baseUrl, ...connector.listUsers, query: query ?? null };
  }

  /** Every secret the connector sends, as it stands now. */
  sentSecrets(connector: Connector): string[] {
    const secrets = this.secrets.open<AuthSecrets>(connector.encryptedSecrets);
    const extraHeaders = connector.encryptedExtraHeaders
      ? Object.values(this.secrets.open<Record<string, string>>(connector.encryptedExtraHeaders))
      : [];
    const basic =
      connector.authMethod === AuthMethod.BASIC ? [basicCredentials(connector, secrets.password!)] : [];
    const clientToken = this.clientTokens.cachedToken(connector);
    return secretValues(secrets, [...extraHeaders, ...basic, ...(clientToken ? [clientToken] : [])]);
  }

  /**
   * Runs `work` against the connector's provider and redacts its secrets from what comes back,
   * answer or error: the secrets it held before and after (an OAuth refresh brings new tokens).
   * `redact` makes the answer's redacted form (every string of it, by default).
   */
  quoting<T>(connector: Connector, work: () => Promise<T>): Promise<T>;
  quoting<A, T>(
    connector: Connector,
    work: () => Promise<A>,
    redact: (redactor: Redactor, answer: A) => T,
  ): Promise<T>;
  async quoting(
    connector: Connector,
    work: () => Promise<unknown>,
    redact?: (redactor: Redactor, answer: unknown) => unknown,
  ): Promise<unknown> {
    const before = this.sentSecrets(connector);
    const redactor = () => new Redactor([...before, ...this.sentSecrets(connector)]);
    let answer: unknown;
    try {
      answer = await work();
    } catch (error) {
      throw redactor().error(error);
    }
    return redact ? redact(redactor(), answer) : redactor().deep(answer);
  }

  /** The auth method's headers, after the extra headers (the auth method's win a clash). */
  auth(connector: Connector): ProviderAuth {
    const auth = this.methodAuth(connector);
    if (!connector.encryptedExtraHeaders) return auth;
    const extra = this.secrets.open<Record<string, string>>(connector.encryptedExtraHeaders);
    if (Object.keys(extra).length === 0) return auth;
    return { ...auth, headers: async () => ({ ...extra, ...(await auth.headers()) }) };
  }

  private methodAuth(connector: Connector): ProviderAuth {
    const secrets = () => this.secrets.open<AuthSecrets>(connector.encryptedSecrets);
    switch (connector.authMethod) {
      case AuthMethod.API_KEY:
        return { headers: async () => ({ [connector.authSettings.headerName!]: secrets().headerValue! }) };
      case AuthMethod.BEARER_TOKEN:
        return { headers: async () => ({ authorization: `Bearer ${secrets().token!}` }) };
      case AuthMethod.BASIC:
        return {
          headers: async () => ({
            authorization: `Basic ${basicCredentials(connector, secrets().password!)}`,
          }),
        };
      case AuthMethod.OAUTH2_CLIENT_CREDENTIALS:
        return {
          headers: async () => ({
            authorization: `Bearer ${await this.clientTokens.accessToken(connector, false)}`,
          }),
          // Renewed once after a 401; a refusal then is the provider's answer to show.
          refresh: async () => Boolean(await this.clientTokens.accessToken(connector, true)),
        };
      case AuthMethod.OAUTH2_AUTHORIZATION_CODE: {
        const bearer = async (force: boolean) => {
          const token = await this.oauth.accessToken(connector, force);
          if (!token)
            throw new ConnectorStateError(
              'The OAuth 2.0 authorization has not been completed for this connector',
            );
          return token;
        };
        return {
          headers: async () => ({ authorization: `Bearer ${await bearer(false)}` }),
          refresh: async () => Boolean(await this.oauth.accessToken(connector, true).catch(() => null)),
        };
      }
    }
  }
}
