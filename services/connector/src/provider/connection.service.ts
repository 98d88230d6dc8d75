import type { ProviderUserPage, ProviderUsersById } from '@uif/connector-client';
import { mappingPathProblems, MappingTransforms } from '@uif/mapping';
import {
  BODY_EXCERPT_LENGTH,
  describePaging,
  fetchScimServiceConfig,
  FIRST_PAGE,
  fetchScimUser,
  fetchScimUserPage,
  fetchUserPage,
  normalizeScimUser,
  ProviderError,
  SCIM_PAGE_SIZE,
  scimFilter,
  type PagePosition,
  type Paging,
  type ScimServiceConfig,
  type UserPage,
} from '@uif/provider-client';
import { DomainError } from '@uif/runtime';
import { ConnectorKind, type Connector } from '../connector/connector.entity.js';
import { ConnectorStateError } from '../connector/connector.errors.js';
import type {
  ConnectionTestResult,
  MappedUserPreview,
  UserSchemaPreview,
} from '../connector/connector.types.js';
import type { ProviderAccess } from './provider-access.js';
import { leafFields } from './schema-fields.js';

const MAX_PREVIEW = 50;
/** Users read by id at once: a selection is small, and a service should not see a burst. */
const IDS_IN_FLIGHT = 4;

function previewLimit(limit: number): number {
  return Math.max(1, Math.min(limit, MAX_PREVIEW));
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A connection test's answer, and what it learned: a SCIM service's page size (null: ours). */
export interface ConnectionTest {
  result: ConnectionTestResult;
  scimPageSize?: number | null;
}

/** Users per SCIM page for this connector: ours, or fewer when its service allows no more. */
export const scimPageSize = (connector: Connector): number => connector.scimPageSize ?? SCIM_PAGE_SIZE;

/** How the connector's provider pages its users; null when it has no list-users endpoint. */
export function pagingOf(connector: Connector): Paging | null {
  if (connector.kind === ConnectorKind.SCIM)
    return { pageSize: scimPageSize(connector), offsetParam: 'startIndex' };
  const { listUsers } = connector;
  if (!listUsers) return null;
  const { pageSize, offsetParam, pagination } = listUsers;
  return { pageSize, offsetParam: offsetParam || null, pagination };
}

/** The page size a SCIM service's config asks for: null when ours is within its maxResults. */
function pageSizeAllowedBy(config: ScimServiceConfig | null): number | null {
  const maxResults = config?.maxResults;
  return maxResults && maxResults < SCIM_PAGE_SIZE ? maxResults : null;
}

/** A failure as the connection test reports it: what went wrong and what the provider said. */
function failedTest(error: unknown, step?: string): ConnectionTestResult {
  if (!(error instanceof DomainError)) throw error;
  const details = error instanceof ProviderError ? error.details : {};
  return {
    ok: false,
    httpStatus: details.status ?? null,
    message: step ? `${step} failed: ${error.message}` : error.message,
    providerResponse: details.body?.slice(0, BODY_EXCERPT_LENGTH) ?? null,
    totalCount: null,
    sampleSize: 0,
  };
}

/** Talks to a connector's provider: the connection test and previews for an admin, pages for an import. */
export class ConnectionService {
  constructor(private readonly access: ProviderAccess) {}

  /**
   * One page for an import, with the advanced query applied; SCIM booleans as the mapping reads them.
   * A SCIM page is of the size the import pages by, whatever the connector learned since it started.
   */
  page(
    connector: Connector,
    position: PagePosition,
    query: string | null,
    pageSize?: number,
  ): Promise<ProviderUserPage> {
    return this.access.quoting(
      connector,
      () => this.read(connector, position, query, pageSize),
      (redactor, { offset, users, total, warnings, next, response }) => ({
        offset,
        // A REST page's users are its body's own values: looked for in the body, not user by user.
        users:
          connector.kind === ConnectorKind.SCIM
            ? redactor.deep(this.importable(connector, users))
            : redactor.parsed(users, response.body),
        total,
        warnings: redactor.deep(warnings),
        next: next === null ? null : redactor.text(next),
      }),
    );
  }

  /** SCIM users by id, a few requests at a time; the ids the service does not know come back as missing. */
  usersById(connector: Connector, externalIds: string[]): Promise<ProviderUsersById> {
    return this.access.quoting(connector, () => this.readById(connector, externalIds));
  }

  private async readById(connector: Connector, externalIds: string[]): Promise<ProviderUsersById> {
    const auth = this.access.auth(connector);
    const found: unknown[] = [];
    for (let start = 0; start < externalIds.length; start += IDS_IN_FLIGHT) {
      const ids = externalIds.slice(start, start + IDS_IN_FLIGHT);
      found.push(
        ...(await Promise.all(
          ids.map((id) => fetchScimUser(connector.baseUrl, id, auth, this.access.policy)),
        )),
      );
    }
    return {
      users: this.importable(
        connector,
        found.filter((user) => user !== null),
      ),
      missing: externalIds.filter((_, index) => found[index] === null),
    };
  }

  /** Reads the page at `position`, in the connector's protocol; `sample`: the connection test's one user. */
  private read(
    connector: Connector,
    position: PagePosition,
    query: string | null,
    count?: number,
    sample = false,
  ): Promise<UserPage> {
    const auth = this.access.auth(connector);
    if (connector.kind === ConnectorKind.SCIM) {
      const request = {
        baseUrl: connector.baseUrl,
        offset: position.offset,
        count: count ?? scimPageSize(connector),
        filter: scimFilter(query),
        sample,
      };
      return fetchScimUserPage(request, auth, this.access.policy);
    }
    return fetchUserPage(this.access.listUsersConfig(connector, query), auth, this.access.policy, position);
  }

  private importable(connector: Connector, users: unknown[]): unknown[] {
    return connector.kind === ConnectorKind.SCIM ? users.map(normalizeScimUser) : users;
  }

  /** A failure is an answer (ok: false) with what the provider said, not an error. */
  test(connector: Connector): Promise<ConnectionTest> {
    return this.access.quoting(connector, () =>
      connector.kind === ConnectorKind.SCIM ? this.testScim(connector) : this.testCustomApi(connector),
    );
  }

  private async testCustomApi(connector: Connector): Promise<ConnectionTest> {
    try {
      const page = await this.read(connector, FIRST_PAGE, null);
      const total = page.total === null ? '' : ` of ${page.total}`;
      return {
        result: this.passed(page, [
          `Connected: the first page held ${plural(page.users.length, 'user')}${total}.`,
          describePaging(this.access.listUsersConfig(connector), page),
        ]),
      };
    } catch (error) {
      return { result: failedTest(error) };
    }
  }

  /**
   * GET /ServiceProviderConfig when the service offers it (its maxResults sets the page size), then
   * one user from /Users.
   */
  private async testScim(connector: Connector): Promise<ConnectionTest> {
    let config: ScimServiceConfig | null;
    try {
      config = await fetchScimServiceConfig(
        connector.baseUrl,
        this.access.auth(connector),
        this.access.policy,
      );
    } catch (error) {
      return { result: failedTest(error, 'GET /ServiceProviderConfig') };
    }
    const allowed = pageSizeAllowedBy(config);
    const notes = [
      config === null
        ? 'The service does not offer /ServiceProviderConfig (allowed).'
        : `ServiceProviderConfig read${config.filterSupported === false ? '; it does not support filters' : ''}.`,
      ...(allowed ? [`Users are read ${allowed} a page, the service's maxResults.`] : []),
    ];
    try {
      const page = await this.read(connector, FIRST_PAGE, null, 1, true);
      const total = page.total === null ? 'an unknown number of' : String(page.total);
      return {
        result: this.passed(page, [`Connected: the SCIM service lists ${total} users.`, ...notes]),
        scimPageSize: allowed,
      };
    } catch (error) {
      return { result: failedTest(error, 'GET /Users') };
    }
  }

  private passed(page: UserPage, message: string[]): ConnectionTestResult {
    return {
      ok: true,
      httpStatus: page.response.status,
      message: [...message, ...page.warnings].join(' '),
      providerResponse: null,
      totalCount: page.total,
      sampleSize: page.users.length,
    };
  }

  /** The first users exactly as the provider returned them. */
  schemaPreview(connector: Connector, limit: number): Promise<UserSchemaPreview> {
    return this.access.quoting(connector, async () => {
      const page = await this.read(connector, FIRST_PAGE, null);
      const sample = page.users.slice(0, previewLimit(limit));
      return { sample, fields: leafFields(sample) };
    });
  }

  mappedPreview(connector: Connector, limit: number): Promise<MappedUserPreview[]> {
    return this.access.quoting(connector, () => this.mapPreview(connector, limit));
  }

  private async mapPreview(connector: Connector, limit: number): Promise<MappedUserPreview[]> {
    const { mapping } = connector;
    if (!mapping) throw new ConnectorStateError('Set an attribute mapping before previewing it');
    const unsafe = mappingPathProblems(mapping);
    if (unsafe.length)
      throw new ConnectorStateError(`Save the attribute mapping again: ${unsafe.join('; ')}`);
    const page = await this.read(connector, FIRST_PAGE, null);
    const transforms = new MappingTransforms(mapping);
    const preview: MappedUserPreview[] = [];
    for (const user of this.importable(connector, page.users.slice(0, previewLimit(limit)))) {
      const { externalId, attributes, errors } = await transforms.map(user);
      preview.push({ externalId, attributes, errors });
    }
    return preview;
  }
}
