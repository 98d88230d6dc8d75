import type { AttributeMapping } from '@uif/mapping';
import { callInternal } from '@uif/runtime';
import { z } from 'zod';

/**
 * GET CONNECTORS_PATH/:id?organizationId=…: the ConnectorView; POST …/:id/USER_PAGES_PATH and
 * …/:id/USERS_BY_ID_PATH with the query too: the provider's users, read with the connector's credentials.
 */
export const CONNECTORS_PATH = '/internal/connectors';
export const USER_PAGES_PATH = '/user-pages';
export const USERS_BY_ID_PATH = '/users-by-id';

/** What the import service may know of a connector: never its secrets. */
export interface ConnectorView {
  id: string;
  organizationId: string;
  displayLabel: string;
  kind: 'CUSTOM_API' | 'SCIM';
  state: 'CONFIGURED' | 'ACTIVE' | 'DEACTIVATED';
  authorized: boolean;
  mapping: AttributeMapping | null;
  /** How the provider's pages follow each other (the pagination style: OFFSET when absent). */
  paging: {
    pageSize: number;
    offsetParam: string | null;
    pagination?: 'OFFSET' | 'PAGE_NUMBER' | 'CURSOR' | 'NEXT_URL';
  } | null;
  /**
   * The provider reads one user by id (SCIM's GET /Users/{id}): a selection of new users is read
   * that way instead of listing everyone.
   */
  readsById: boolean;
}

/** Users read by their ids, in the order asked; `missing` are the ids the provider does not know. */
export interface ProviderUsersById {
  users: unknown[];
  missing: string[];
}

/** Most ids read in one request of usersById. */
export const MAX_IDS_PER_READ = 100;

/** One page of a provider's users, read by the connector service with the connector's credentials. */
export interface ProviderUserPage {
  offset: number;
  users: unknown[];
  total: number | null;
  warnings: string[];
  /** Paging by cursor or next URL: what the next page is asked with; null after the last page. */
  next?: string | null;
}

/** Where a page starts: the users and pages read before it, and the cursor or URL the page before gave. */
export const userPageRequestSchema = z.object({
  offset: z.number().int().min(0),
  index: z.number().int().min(0).optional(),
  next: z.string().max(65_536).nullable().optional(),
  query: z.string().max(2048).nullable(),
  // Absent from an import service older than this one: the connector's own size then.
  pageSize: z.number().int().min(1).max(1000).optional(),
});
/** What this import service sends: always its page size. */
export type UserPageRequest = z.infer<typeof userPageRequestSchema> & { pageSize: number };

export const usersByIdRequestSchema = z.object({
  externalIds: z.array(z.string().min(1).max(255)).min(1).max(MAX_IDS_PER_READ),
});
export type UsersByIdRequest = z.infer<typeof usersByIdRequestSchema>;

export class ConnectorClient {
  constructor(
    private readonly baseUrl: string,
    private readonly internalSecret: string,
    private readonly service: string,
  ) {}

  private path(organizationId: string, connectorId: string, rest = ''): string {
    return `${CONNECTORS_PATH}/${encodeURIComponent(connectorId)}${rest}?organizationId=${encodeURIComponent(organizationId)}`;
  }

  /** NOT_FOUND (a domain error) when the organization has no such connector. */
  connector(organizationId: string, connectorId: string): Promise<ConnectorView> {
    return callInternal(this.baseUrl, this.path(organizationId, connectorId), {
      service: this.service,
      secret: this.internalSecret,
    });
  }

  /**
   * One page at the position asked, of `pageSize` users (the size the import pages by, from the
   * connector's view when it started). PROVIDER_ERROR with the provider's status and body when it
   * answers badly.
   */
  userPage(organizationId: string, connectorId: string, request: UserPageRequest): Promise<ProviderUserPage> {
    return callInternal(this.baseUrl, this.path(organizationId, connectorId, USER_PAGES_PATH), {
      service: this.service,
      secret: this.internalSecret,
      body: request,
    });
  }

  /** ProviderUsersById for a connector that readsById; CONFLICT for one that does not. */
  usersById(organizationId: string, connectorId: string, externalIds: string[]): Promise<ProviderUsersById> {
    return callInternal(this.baseUrl, this.path(organizationId, connectorId, USERS_BY_ID_PATH), {
      service: this.service,
      secret: this.internalSecret,
      body: { externalIds } satisfies UsersByIdRequest,
    });
  }
}

/** Where the connector service tells the import service that a connector was activated or deactivated. */
export const CONNECTOR_EVENTS_PATH = '/internal/connector-events';

export const connectorEventSchema = z.object({
  organizationId: z.string().min(1),
  connectorId: z.string().min(1).max(64),
  event: z.enum(['activated', 'deactivated']),
  kind: z.enum(['CUSTOM_API', 'SCIM']),
});
export type ConnectorEvent = z.infer<typeof connectorEventSchema>;
