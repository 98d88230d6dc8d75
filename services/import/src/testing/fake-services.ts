import type {
  ConnectorView,
  ListedUserPage,
  ProviderUsersById,
  UserListingRequest,
} from '@uif/connector-client';
import {
  attributeFingerprint,
  type AttributeChanges,
  type ChangeResult,
  type UserAttributes,
  type UserBatch,
  type UserBatchResult,
  type UserChange,
  type UserMatch,
  type UserMatchRequest,
} from '@uif/directory-client';
import { DomainError, NotFoundError } from '@uif/runtime';
import type { ConnectorReads, DirectoryWrites } from '../pipeline/matched-pages.js';

/*
 * In-process stand-ins for the connector and directory services, typed as the import's clients of
 * them: specs and tests of the pipeline run without either service. Only tests import this file (the
 * build leaves src/testing out).
 */

export const FAKE_ORGANIZATION_ID = 'org-1';
export const FAKE_CONNECTOR_ID = 'connector-1';

/**
 * An active, authorized custom API connector that maps `Employee`s of @uif/testing (their `id` is
 * the external id) and pages by offset.
 */
export function fakeConnectorView(overrides: Partial<ConnectorView> = {}): ConnectorView {
  return {
    id: FAKE_CONNECTOR_ID,
    organizationId: FAKE_ORGANIZATION_ID,
    displayLabel: 'Acme HR',
    kind: 'CUSTOM_API',
    state: 'ACTIVE',
    authorized: true,
    mapping: {
      entries: [
        { target: 'EMAIL', sourcePath: '$.email' },
        { target: 'USERNAME', sourcePath: '$.login' },
        { target: 'FIRSTNAME', sourcePath: '$.first' },
        { target: 'LASTNAME', sourcePath: '$.last' },
      ],
      externalIdPath: '$.id',
      statusPath: null,
      inactiveStatuses: [],
      activeStatuses: [],
    },
    paging: { pageSize: 5 },
    readsById: false,
    ...overrides,
  };
}

export interface FakeConnectorOptions {
  /** Users per page (the connector's paging): 5 unless given. */
  pageSize?: number;
  /** The provider answers 500 for every page from this offset on. */
  failFrom?: number;
  /** What else differs from fakeConnectorView's connector. */
  view?: Partial<ConnectorView>;
}

export interface FakeConnector extends ConnectorReads {
  readonly view: ConnectorView;
  /** Every listing the import asked for, in the order asked. */
  readonly listingRequests: UserListingRequest[];
  /** The pages listed so far, over every listing. */
  pagesListed(): number;
}

/**
 * The connector service in front of a provider listing `users` (in this order), a page of the
 * requested size at the requested offset, with the listing's total. Users are read by id at their
 * `id` field (the view's external id path).
 */
export function fakeConnector(users: readonly unknown[], options: FakeConnectorOptions = {}): FakeConnector {
  const view = fakeConnectorView({
    ...(options.pageSize ? { paging: { pageSize: options.pageSize } } : {}),
    ...options.view,
  });
  const listingRequests: UserListingRequest[] = [];
  let pagesListed = 0;
  const known = (organizationId: string, connectorId: string) => {
    if (organizationId !== view.organizationId || connectorId !== view.id)
      throw new NotFoundError('Connector', connectorId);
  };
  return {
    view,
    listingRequests,
    pagesListed: () => pagesListed,
    connector: async (organizationId: string, connectorId: string): Promise<ConnectorView> => {
      known(organizationId, connectorId);
      return view;
    },
    async *userListing(
      organizationId: string,
      connectorId: string,
      request: UserListingRequest,
    ): AsyncGenerator<ListedUserPage> {
      known(organizationId, connectorId);
      listingRequests.push(request);
      const { pageSize } = request;
      for (let offset = request.from?.offset ?? 0; ; offset += pageSize) {
        if (options.failFrom !== undefined && offset >= options.failFrom)
          throw new DomainError('PROVIDER_ERROR', `The provider answered 500 at offset ${offset}`);
        pagesListed += 1;
        const page = users.slice(offset, offset + pageSize);
        const end = offset + pageSize >= users.length;
        const after = end ? null : { offset: offset + pageSize, index: offset / pageSize + 1, next: null };
        yield { offset, users: page, total: users.length, warnings: [], after };
        if (end) return;
      }
    },
    usersById: async (
      organizationId: string,
      connectorId: string,
      externalIds: string[],
    ): Promise<ProviderUsersById> => {
      known(organizationId, connectorId);
      const byId = new Map(users.map((user) => [providerIdOf(user), user]));
      return {
        users: externalIds.flatMap((id) => (byId.has(id) ? [byId.get(id)] : [])),
        missing: externalIds.filter((id) => !byId.has(id)),
      };
    },
  };
}

/** A provider user's `id`, as text; null when it has none. */
function providerIdOf(user: unknown): string | null {
  if (typeof user !== 'object' || user === null || !('id' in user)) return null;
  const { id } = user;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

export interface FakeDirectoryUser {
  userId: string;
  state: UserMatch['state'];
  /** The provider user it is linked to, by connector and external id; null: known by email only. */
  link: { connectorId: string; externalId: string } | null;
  attributes: Partial<UserAttributes>;
}

/** The directory is unreachable once it has applied `afterBatches` batches; null: never. */
export interface Outage {
  afterBatches: number | null;
}

export interface FakeDirectory {
  directory: DirectoryWrites;
  /** The directory's users, by user id. */
  users: Map<string, FakeDirectoryUser>;
  /** Every batch applied (dry runs too), in the order received. */
  batches: UserBatch[];
  /** A user already in the directory: linked to `externalId` of the fake connector, or null. */
  add(user: {
    externalId: string | null;
    attributes: Partial<UserAttributes>;
    state?: UserMatch['state'];
  }): FakeDirectoryUser;
}

/**
 * The directory service of one organization: it matches candidates by the connector's link first,
 * then by email, and applies batches of changes, answering each change as the directory does
 * (created, updated, unchanged…). A dry run is answered without writing. While `outage` says so it
 * is unreachable, as it would be without its database.
 */
export function fakeDirectory(outage: Outage = { afterBatches: null }): FakeDirectory {
  const users = new Map<string, FakeDirectoryUser>();
  const batches: UserBatch[] = [];
  let created = 0;

  const insert = (
    link: FakeDirectoryUser['link'],
    attributes: Partial<UserAttributes>,
    state: UserMatch['state'] = 'ACTIVE',
  ): FakeDirectoryUser => {
    created += 1;
    const user: FakeDirectoryUser = { userId: `user-${created}`, state, link, attributes };
    users.set(user.userId, user);
    return user;
  };
  const add: FakeDirectory['add'] = ({ externalId, attributes, state }) =>
    insert(externalId === null ? null : { connectorId: FAKE_CONNECTOR_ID, externalId }, attributes, state);

  /** The connector's users by the external id they are linked to (indexed per call: batches are large). */
  const linksOf = (connectorId: string) =>
    new Map(
      [...users.values()].flatMap((user) =>
        user.link?.connectorId === connectorId ? [[user.link.externalId, user] as const] : [],
      ),
    );

  const matchUsers = async ({
    connectorId,
    candidates,
    fingerprintOf,
  }: UserMatchRequest): Promise<(UserMatch | null)[]> => {
    const links = linksOf(connectorId);
    const emails = new Map(
      [...users.values()].flatMap((user) =>
        user.attributes.email ? [[user.attributes.email.toLowerCase(), user] as const] : [],
      ),
    );
    return candidates.map(({ externalId, email }) => {
      const linked = links.get(externalId);
      const user = linked ?? (email === null ? undefined : emails.get(email.toLowerCase()));
      if (!user) return null;
      return {
        userId: user.userId,
        state: user.state,
        matchedBy: linked ? 'link' : 'email',
        ...(fingerprintOf ? { fingerprint: attributeFingerprint(user.attributes, fingerprintOf) } : {}),
      };
    });
  };

  /** One change's answer; written unless `write` is false (a dry run). */
  const applyChange = (
    connectorId: string,
    links: Map<string, FakeDirectoryUser>,
    change: UserChange,
    write: boolean,
  ): ChangeResult => {
    const { externalId } = change;
    const linked = links.get(externalId);
    if (change.kind === 'create') {
      // A batch replayed after a crash: the user it created is answered, not created again.
      if (linked) return { externalId, outcome: 'unchanged', userId: linked.userId };
      if (!write) return { externalId, outcome: 'created' };
      const user = insert({ connectorId, externalId }, change.attributes);
      links.set(externalId, user);
      return { externalId, outcome: 'created', userId: user.userId };
    }
    const user = change.userId ? users.get(change.userId) : linked;
    if (!user) {
      return {
        externalId,
        outcome: 'conflict',
        code: 'USER_NOT_FOUND',
        reason: `No directory user ${change.userId ?? `linked to ${externalId}`}`,
      };
    }
    const userId = user.userId;
    if (change.kind === 'update') {
      const changes = attributeChanges(user.attributes, change.attributes);
      if (write) {
        user.attributes = { ...user.attributes, ...change.attributes };
        // A user matched by email is linked by its first update.
        if (!user.link) {
          user.link = { connectorId, externalId };
          links.set(externalId, user);
        }
      }
      return Object.keys(changes).length > 0
        ? { externalId, outcome: 'updated', userId, changes }
        : { externalId, outcome: 'unchanged', userId };
    }
    const state = change.kind === 'suspend' ? 'SUSPENDED' : 'ACTIVE';
    if (user.state === state) return { externalId, outcome: 'unchanged', userId };
    const changes = { state: { from: user.state, to: state } };
    if (write) user.state = state;
    return {
      externalId,
      outcome: change.kind === 'suspend' ? 'suspended' : 'reactivated',
      userId,
      changes,
    };
  };

  const applyUserBatch = async (batch: UserBatch): Promise<UserBatchResult> => {
    if (outage.afterBatches === batches.length)
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    batches.push(batch);
    const links = linksOf(batch.connectorId);
    return {
      results: batch.changes.map((change) => applyChange(batch.connectorId, links, change, !batch.dryRun)),
    };
  };

  return { directory: { matchUsers, applyUserBatch }, users, batches, add };
}

/** The attributes `next` changes in `current`, each with its value before and after. */
function attributeChanges(current: Partial<UserAttributes>, next: Partial<UserAttributes>): AttributeChanges {
  const before = new Map<string, unknown>(Object.entries(current));
  const changes: AttributeChanges = {};
  for (const [name, to] of Object.entries(next)) {
    const from = before.get(name);
    if (JSON.stringify(from ?? null) !== JSON.stringify(to ?? null)) changes[name] = { from, to };
  }
  return changes;
}
