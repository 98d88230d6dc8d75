import { MAX_PATH_LENGTH, type AttributeMapping } from '@uif/mapping';
import { callInternal, streamInternal } from '@uif/runtime';
import { z } from 'zod';

/**
 * GET CONNECTORS_PATH/:id?organizationId=…: the ConnectorView; POST …/:id/USER_LISTING_PATH and
 * …/:id/USERS_BY_ID_PATH with the query too: the provider's users, read with the connector's credentials.
 */
export const CONNECTORS_PATH = '/internal/connectors';
/** The whole listing in one answer, a page per line (see streamInternal). */
export const USER_LISTING_PATH = '/user-listing';
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
  /** The provider's page size, which a listing keeps from its start; null: no list-users endpoint. */
  paging: { pageSize: number } | null;
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
export const pagePositionSchema = z.object({
  offset: z.number().int().min(0),
  index: z.number().int().min(0),
  next: z.string().max(65_536).nullable(),
});
export type PagePosition = z.infer<typeof pagePositionSchema>;

/** A page as the listing reads it, with where the listing goes on after it (null: it ended there). */
export interface ListedUserPage extends ProviderUserPage {
  after: PagePosition | null;
}

/**
 * A provider's users, every page from the first, or from `from` (a listing read again from where it
 * stopped); pages of `pageSize` users, the size the import started with, so that a size the
 * connector learns meanwhile cannot shift the pages.
 */
export const userListingRequestSchema = z.object({
  query: z.string().max(2048).nullable(),
  pageSize: z.number().int().min(1).max(1000),
  from: pagePositionSchema.optional(),
  /**
   * The paths the caller reads each user at (its mapping's, see mappingReadPaths): users come cut
   * down to what they can read (userProjection), not whole. Absent: whole users.
   */
  readPaths: z.array(z.string().max(MAX_PATH_LENGTH)).max(200).optional(),
});
export type UserListingRequest = z.infer<typeof userListingRequestSchema>;

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
   * Every page of the provider's users, read by the connector a few pages ahead, as they come.
   * PROVIDER_ERROR with the provider's status and body when it answers badly, after the pages before.
   */
  userListing(
    organizationId: string,
    connectorId: string,
    request: UserListingRequest,
  ): AsyncGenerator<ListedUserPage> {
    return streamInternal(this.baseUrl, this.path(organizationId, connectorId, USER_LISTING_PATH), {
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
