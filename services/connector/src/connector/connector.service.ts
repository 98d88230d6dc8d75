import { SCIM_STANDARD_MAPPING, userProjection } from '@uif/mapping';
import { parseInput } from '@uif/runtime';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { ListedUserPage, ProviderUsersById, UserListingRequest } from '@uif/connector-client';
import { MAX_PAGES, paginate, type PagePosition } from '@uif/provider-client';
import type { OAuthService } from '../oauth/oauth.service.js';
import type { ImportEvents } from './import-events.js';
import { pagingOf, type ConnectionService } from '../provider/connection.service.js';
import type { ProviderAccess } from '../provider/provider-access.js';
import { newCredentialOrigins } from './credential-origins.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { AuthMethod, Connector, ConnectorKind, ConnectorState } from './connector.entity.js';
import {
  ConnectorNotFoundError,
  ConnectorStateError,
  InvalidConnectorInputError,
  NoListUsersEndpointError,
} from './connector.errors.js';
import type {
  AuthSecrets,
  AuthSettings,
  ConnectionTestResult,
  ListUsersEndpoint,
  MappedUserPreview,
  OAuthAuthorization,
  UserSchemaPreview,
} from './connector.types.js';
import {
  connectorUpdateSchema,
  customApiConnectorSchema,
  type listUsersSchema,
  mappingSchema,
  scimConnectorSchema,
  type AuthInput,
} from './connector.validation.js';

/** Provider pages asked for at once: the provider's latency overlaps itself and the import's own work. */
const PAGES_IN_FLIGHT = 3;
/** How long a listing goes on with the connector as it read it, before reading it again. */
const CONNECTOR_RECHECK_MS = 500;

function splitAuth(auth: AuthInput): { method: AuthMethod; settings: AuthSettings; secrets: AuthSecrets } {
  if (auth.apiKey) {
    return {
      method: AuthMethod.API_KEY,
      settings: { headerName: auth.apiKey.headerName },
      secrets: { headerValue: auth.apiKey.headerValue },
    };
  }
  if (auth.bearerToken)
    return { method: AuthMethod.BEARER_TOKEN, settings: {}, secrets: { token: auth.bearerToken.token } };
  if (auth.basic) {
    const { username, password } = auth.basic;
    return { method: AuthMethod.BASIC, settings: { username }, secrets: { password } };
  }
  if (auth.oauth2ClientCredentials) {
    const { clientSecret, credentialsInBody, ...settings } = auth.oauth2ClientCredentials;
    return {
      method: AuthMethod.OAUTH2_CLIENT_CREDENTIALS,
      settings: { ...settings, credentialsInBody: credentialsInBody ?? false },
      secrets: { clientSecret },
    };
  }
  const { clientSecret, ...settings } = auth.oauth2!;
  return { method: AuthMethod.OAUTH2_AUTHORIZATION_CODE, settings, secrets: { clientSecret } };
}

type ParsedListUsers = z.output<typeof listUsersSchema>;

/** The endpoint as stored: the extra headers' names only (given now, else those saved before). */
function storedEndpoint(
  { endpoint, extraHeaders }: ParsedListUsers,
  before: string[] = [],
): ListUsersEndpoint {
  return { ...endpoint, extraHeaderNames: extraHeaders?.map((header) => header.name) ?? before };
}

/**
 * Stored secrets are write-only: they may not follow the connector to an origin they were never sent
 * to (any key of the organization could otherwise read them there). A move needs them again: the
 * auth method's secret, and the extra headers' values when the connector has some.
 */
function keepSecretsAtHome(
  connector: Connector,
  baseUrl: string,
  given: { auth: boolean; extraHeaders: boolean },
): void {
  const moved = newCredentialOrigins(connector, { baseUrl, authSettings: connector.authSettings });
  if (!given.auth && moved.length) {
    throw new InvalidConnectorInputError(
      `input.auth must be given again to send the connector's credentials to ${moved.join(', ')}: a stored secret never goes to another origin (scheme, host, port)`,
      ['input.auth'],
    );
  }
  const origin = new URL(baseUrl).origin;
  const headersMove =
    connector.listUsers?.extraHeaderNames.length && origin !== new URL(connector.baseUrl).origin;
  if (!given.extraHeaders && headersMove) {
    throw new InvalidConnectorInputError(
      `input.listUsers.extraHeaders must be given again to send the connector's extra headers to ${origin}: a stored secret never goes to another origin (scheme, host, port)`,
      ['input.listUsers.extraHeaders'],
    );
  }
}

/** What an admin sees of the credentials: where they go, never what they are. */
export function authSummary(connector: Connector): string {
  switch (connector.authMethod) {
    case AuthMethod.API_KEY:
      return `API key in header ${connector.authSettings.headerName}`;
    case AuthMethod.BEARER_TOKEN:
      return 'Bearer token';
    case AuthMethod.OAUTH2_AUTHORIZATION_CODE:
      return `OAuth 2.0 authorization code, client ${connector.authSettings.clientId}, ${connector.authorized ? 'authorized' : 'not authorized yet'}`;
    case AuthMethod.OAUTH2_CLIENT_CREDENTIALS:
      return `OAuth 2.0 client credentials, client ${connector.authSettings.clientId}`;
    case AuthMethod.BASIC:
      return `HTTP Basic as ${connector.authSettings.username}`;
  }
}

export class ConnectorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly access: ProviderAccess,
    private readonly connection: ConnectionService,
    private readonly oauth: OAuthService,
    private readonly imports: ImportEvents,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(Connector);
  }

  list(organizationId: string): Promise<Connector[]> {
    return this.repository.find({ where: { organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async get(organizationId: string, id: string): Promise<Connector> {
    const connector = await this.repository.findOneBy({ organizationId, id });
    if (!connector) throw new ConnectorNotFoundError(id);
    return connector;
  }

  /** Saved only whole: every problem of the input is reported at once and nothing is stored. */
  async createCustomApi(organizationId: string, input: unknown): Promise<Connector> {
    const parsed = parseInput(customApiConnectorSchema, input);
    return this.create(organizationId, ConnectorKind.CUSTOM_API, parsed, {
      listUsers: storedEndpoint(parsed.listUsers),
      mapping: null,
      encryptedExtraHeaders: this.sealHeaders(parsed.listUsers.extraHeaders ?? []),
    });
  }

  /** A SCIM connector lists users at /Users by the standard and starts with the standard mapping. */
  async createScim(organizationId: string, input: unknown): Promise<Connector> {
    const parsed = parseInput(scimConnectorSchema, input);
    return this.create(organizationId, ConnectorKind.SCIM, parsed, {
      listUsers: null,
      mapping: SCIM_STANDARD_MAPPING,
      encryptedExtraHeaders: null,
    });
  }

  private async create(
    organizationId: string,
    kind: ConnectorKind,
    parsed: z.output<typeof scimConnectorSchema>,
    listing: Pick<Connector, 'listUsers' | 'mapping' | 'encryptedExtraHeaders'>,
  ): Promise<Connector> {
    await this.checkTargets(parsed.baseUrl, parsed.auth);
    const { method, settings, secrets } = splitAuth(parsed.auth);
    const now = new Date();
    const connector = this.repository.create({
      id: uuidv7(),
      organizationId,
      displayLabel: parsed.displayLabel,
      description: parsed.description ?? null,
      kind,
      state: ConnectorState.CONFIGURED,
      baseUrl: parsed.baseUrl,
      authMethod: method,
      authorized: method !== AuthMethod.OAUTH2_AUTHORIZATION_CODE,
      authSettings: settings,
      encryptedSecrets: this.secrets.seal(secrets),
      ...listing,
      scimPageSize: null,
      createdAt: now,
      updatedAt: now,
    });
    return this.repository.save(connector);
  }

  async update(organizationId: string, id: string, input: unknown): Promise<Connector> {
    const parsed = parseInput(connectorUpdateSchema, input);
    const connector = await this.get(organizationId, id);
    if (parsed.listUsers && connector.kind === ConnectorKind.SCIM) {
      throw new InvalidConnectorInputError(
        'input.listUsers does not apply to a SCIM connector: it lists users at /Users by the standard',
        ['input.listUsers'],
      );
    }
    if (parsed.baseUrl || parsed.auth)
      await this.checkTargets(parsed.baseUrl ?? connector.baseUrl, parsed.auth);
    if (parsed.baseUrl)
      keepSecretsAtHome(connector, parsed.baseUrl, {
        auth: Boolean(parsed.auth),
        extraHeaders: Boolean(parsed.listUsers?.extraHeaders),
      });
    if (parsed.displayLabel) connector.displayLabel = parsed.displayLabel;
    if (parsed.description !== undefined) connector.description = parsed.description ?? null;
    if (parsed.listUsers) {
      connector.listUsers = storedEndpoint(parsed.listUsers, connector.listUsers?.extraHeaderNames);
      if (parsed.listUsers.extraHeaders)
        connector.encryptedExtraHeaders = this.sealHeaders(parsed.listUsers.extraHeaders);
    }
    const wasOAuth = connector.authMethod === AuthMethod.OAUTH2_AUTHORIZATION_CODE;
    if (parsed.baseUrl && parsed.baseUrl !== connector.baseUrl) {
      connector.baseUrl = parsed.baseUrl;
      connector.scimPageSize = null; // another service: its limits are learned again
      if (wasOAuth) connector.authorized = false;
    }
    if (parsed.auth) {
      const { method, settings, secrets } = splitAuth(parsed.auth);
      connector.authMethod = method;
      connector.authSettings = settings;
      connector.encryptedSecrets = this.secrets.seal(secrets);
      connector.authorized = method !== AuthMethod.OAUTH2_AUTHORIZATION_CODE;
    }
    connector.updatedAt = new Date();
    return this.repository.save(connector);
  }

  async setMapping(organizationId: string, id: string, input: unknown): Promise<Connector> {
    const mapping = parseInput(mappingSchema, input);
    const connector = await this.get(organizationId, id);
    connector.mapping = mapping;
    connector.updatedAt = new Date();
    return this.repository.save(connector);
  }

  /** The test's answer; what it learned of a SCIM service's page size is kept for imports. */
  async testConnection(organizationId: string, id: string): Promise<ConnectionTestResult> {
    const connector = await this.get(organizationId, id);
    const { result, scimPageSize } = await this.connection.test(connector);
    if (scimPageSize !== undefined && scimPageSize !== connector.scimPageSize)
      await this.repository.update({ organizationId, id }, { scimPageSize });
    return result;
  }

  async schemaPreview(organizationId: string, id: string, limit: number): Promise<UserSchemaPreview> {
    return this.connection.schemaPreview(await this.get(organizationId, id), limit);
  }

  async mappedPreview(organizationId: string, id: string, limit: number): Promise<MappedUserPreview[]> {
    return this.connection.mappedPreview(await this.get(organizationId, id), limit);
  }

  /**
   * Every page of the provider's users from `from` on (the first page when absent), up to
   * PAGES_IN_FLIGHT requests ahead. The connector is read again every CONNECTOR_RECHECK_MS and
   * after a page fails, so that its deactivation stops the listing, and says so, within moments.
   */
  async *userListing(
    organizationId: string,
    id: string,
    { query, pageSize, from, readPaths }: UserListingRequest,
  ): AsyncGenerator<ListedUserPage> {
    let reading = this.activeConnector(organizationId, id);
    let readAt = Date.now();
    const current = () => {
      if (Date.now() - readAt >= CONNECTOR_RECHECK_MS) {
        reading = this.activeConnector(organizationId, id);
        readAt = Date.now();
      }
      return reading;
    };
    const paging = pagingOf(await reading);
    if (!paging) throw new NoListUsersEndpointError(id);
    const page = async (position: PagePosition) => {
      try {
        return await this.connection.page(await current(), position, query, pageSize);
      } catch (error) {
        // A connector deactivated meanwhile (its tokens revoked) fails as deactivated, not as refused.
        await this.activeConnector(organizationId, id);
        throw error;
      }
    };
    // Only what the caller's mapping reads crosses to it: a Personio user is mostly labels.
    const projection = readPaths ? userProjection(readPaths) : null;
    for await (const listed of paginate(page, { ...paging, pageSize }, MAX_PAGES, PAGES_IN_FLIGHT, from)) {
      yield projection ? { ...listed, users: listed.users.map(projection) } : listed;
    }
  }

  /** The users with these ids, read one by one (SCIM), for an import of selected new users. */
  async usersById(organizationId: string, id: string, externalIds: string[]): Promise<ProviderUsersById> {
    const connector = await this.activeConnector(organizationId, id);
    if (connector.kind !== ConnectorKind.SCIM) {
      throw new ConnectorStateError(`Connector ${connector.displayLabel} cannot read users by id`);
    }
    return this.connection.usersById(connector, externalIds);
  }

  private async activeConnector(organizationId: string, id: string): Promise<Connector> {
    const connector = await this.get(organizationId, id);
    if (connector.state !== ConnectorState.ACTIVE) {
      throw new ConnectorStateError(
        `Connector ${connector.displayLabel} is ${connector.state.toLowerCase()}: the import stopped`,
      );
    }
    return connector;
  }

  async beginOAuthAuthorization(organizationId: string, id: string): Promise<OAuthAuthorization> {
    return this.oauth.begin(await this.get(organizationId, id));
  }

  /** Activation needs a mapping, completed authorization and a connection test that passes now. */
  async activate(organizationId: string, id: string): Promise<Connector> {
    const connector = await this.get(organizationId, id);
    if (!connector.mapping) {
      throw new ConnectorStateError(
        'Set an attribute mapping (with EMAIL and USERNAME) before activating the connector',
      );
    }
    if (!connector.authorized) {
      throw new ConnectorStateError(
        'Complete the OAuth 2.0 authorization (beginOAuthAuthorization) before activating',
      );
    }
    const { result, scimPageSize } = await this.connection.test(connector);
    if (!result.ok)
      throw new ConnectorStateError(
        `The connection test failed, so the connector stays inactive: ${result.message}`,
      );
    if (scimPageSize !== undefined) connector.scimPageSize = scimPageSize;
    connector.state = ConnectorState.ACTIVE;
    connector.updatedAt = new Date();
    const saved = await this.repository.save(connector);
    await this.imports.tell({ organizationId, connectorId: id, event: 'activated', kind: connector.kind });
    return saved;
  }

  /** Stops syncing, revokes the OAuth tokens and forgets any other token; users are left as they are. */
  async deactivate(organizationId: string, id: string): Promise<Connector> {
    const connector = await this.get(organizationId, id);
    if (connector.state === ConnectorState.DEACTIVATED) return connector;
    await this.oauth.revoke(connector);
    this.access.forgetTokens(connector.id);
    connector.state = ConnectorState.DEACTIVATED;
    connector.updatedAt = new Date();
    const saved = await this.repository.save(connector);
    await this.imports.tell({ organizationId, connectorId: id, event: 'deactivated', kind: connector.kind });
    return saved;
  }

  /** Extra header values by name, encrypted like every other secret. */
  private sealHeaders(headers: { name: string; value: string }[]): string {
    return this.secrets.seal(Object.fromEntries(headers.map(({ name, value }) => [name, value])));
  }

  private async checkTargets(baseUrl: string, auth: AuthInput | null | undefined): Promise<void> {
    await this.access.checkTarget(baseUrl);
    if (auth?.oauth2ClientCredentials)
      await this.access.checkTarget(auth.oauth2ClientCredentials.accessTokenUrl);
    if (auth?.oauth2) {
      await this.access.checkTarget(auth.oauth2.accessTokenUrl);
      if (auth.oauth2.revokeUrl) await this.access.checkTarget(auth.oauth2.revokeUrl);
    }
  }
}
