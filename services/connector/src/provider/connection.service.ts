import type { ProviderUserPage } from '@uif/connector-client';
import { mapProviderUser } from '@uif/mapping';
import { BODY_EXCERPT_LENGTH, fetchUserPage, ProviderError } from '@uif/provider-client';
import { DomainError } from '@uif/runtime';
import type { Connector } from '../connector/connector.entity.js';
import { ConnectorStateError } from '../connector/connector.errors.js';
import type {
  ConnectionTestResult,
  MappedUserPreview,
  UserSchemaPreview,
} from '../connector/connector.types.js';
import type { ProviderAccess } from './provider-access.js';
import { leafFields } from './schema-fields.js';

const MAX_PREVIEW = 50;

function previewLimit(limit: number): number {
  return Math.max(1, Math.min(limit, MAX_PREVIEW));
}

/** Talks to a connector's provider: the connection test and previews for an admin, pages for an import. */
export class ConnectionService {
  constructor(private readonly access: ProviderAccess) {}

  /** One page for an import, with the advanced query merged in. */
  async page(connector: Connector, offset: number, query: string | null): Promise<ProviderUserPage> {
    const config = this.access.listUsersConfig(connector, query);
    const { users, total, warnings } = await fetchUserPage(
      config,
      this.access.auth(connector),
      this.access.policy,
      offset,
    );
    return { offset, users, total, warnings };
  }

  private firstPage(connector: Connector) {
    return fetchUserPage(
      this.access.listUsersConfig(connector),
      this.access.auth(connector),
      this.access.policy,
      0,
    );
  }

  /** The first page only; a failure is an answer (ok: false) with what the provider said, not an error. */
  async test(connector: Connector): Promise<ConnectionTestResult> {
    try {
      const page = await this.firstPage(connector);
      const found = `Connected: the first page held ${page.users.length} user${page.users.length === 1 ? '' : 's'}`;
      const total = page.total === null ? '' : ` of ${page.total}`;
      return {
        ok: true,
        httpStatus: page.response.status,
        message: [`${found}${total}.`, ...page.warnings].join(' '),
        providerResponse: null,
        totalCount: page.total,
        sampleSize: page.users.length,
      };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const details = error instanceof ProviderError ? error.details : {};
      return {
        ok: false,
        httpStatus: details.status ?? null,
        message: error.message,
        providerResponse: details.body?.slice(0, BODY_EXCERPT_LENGTH) ?? null,
        totalCount: null,
        sampleSize: 0,
      };
    }
  }

  async schemaPreview(connector: Connector, limit: number): Promise<UserSchemaPreview> {
    const page = await this.firstPage(connector);
    const sample = page.users.slice(0, previewLimit(limit));
    return { sample, fields: leafFields(sample) };
  }

  async mappedPreview(connector: Connector, limit: number): Promise<MappedUserPreview[]> {
    const { mapping } = connector;
    if (!mapping) throw new ConnectorStateError('Set an attribute mapping before previewing it');
    const page = await this.firstPage(connector);
    return page.users.slice(0, previewLimit(limit)).map((user) => {
      const { externalId, attributes, errors } = mapProviderUser(user, mapping);
      return { externalId, attributes, errors };
    });
  }
}
