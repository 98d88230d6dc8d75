import {
  MAX_IDS_PER_READ,
  type ConnectorClient,
  type ConnectorView,
  type ProviderUserPage,
} from '@uif/connector-client';
import {
  attributeFingerprinter,
  type AttributeName,
  type DirectoryClient,
  type UserMatch,
} from '@uif/directory-client';
import { mappingPathProblems, MappingTransforms, type MappedUser } from '@uif/mapping';
import { pMapIterable } from 'p-map';
import { ImportStateError } from '../import-job/import-job.errors.js';
import { readAhead } from './read-ahead.js';

/** What the import asks of the connector service (its client, or a fake in tests). */
export type ConnectorReads = Pick<ConnectorClient, 'connector' | 'userListing' | 'usersById'>;
/** What the import asks of the directory service (its client, or a fake in tests). */
export type DirectoryWrites = Pick<DirectoryClient, 'matchUsers' | 'applyUserBatch'>;

export interface MatchedUser {
  mapped: MappedUser;
  /** The directory user it is, or null for a new user. */
  match: UserMatch | null;
  /** The directory already holds exactly the mapped attributes (and knows the user by its link). */
  current: boolean;
}

/** Users of one or more consecutive provider pages, matched together. */
export interface MatchedGroup {
  total: number | null;
  warnings: string[];
  users: MatchedUser[];
}

/** What a page told of the listing, once its users are read (repeated ones left out). */
export interface PageRead {
  total: number | null;
  warnings: string[];
  /** Users on the page that were not read before. */
  count: number;
}

export interface ReadRequest {
  organizationId: string;
  connector: ConnectorView;
  /** Pages are matched against the directory in groups of about this many users. */
  groupSize: number;
  /** Told of every page as it arrives (progress events are due once per page). */
  onPage?: (page: PageRead) => Promise<void>;
  /**
   * The external ids read so far, each the first time it came (later sightings are left out); the
   * caller's set, when given, is filled for it.
   */
  seen?: Set<string>;
  /** Where the users come from: the provider's listing, or the picked users read by id. */
  pages: AsyncIterable<ProviderUserPage>;
}

/** Said once per import when a provider lists an id again (overlapping pages, a listing that shifted). */
export const REPEATED_USERS_WARNING =
  'The provider listed some users more than once (overlapping pages): each external id was read once, ' +
  'the first time it came';

/**
 * A mapping saved before paths were guarded may hold one that would block the process on a
 * provider's value (a backtracking regular expression): it stops the reading, naming the entry.
 */
function refuseUnsafeMapping(connector: ConnectorView): void {
  const problems = mappingPathProblems(connector.mapping!);
  if (problems.length) {
    throw new ImportStateError(
      `The mapping of connector ${connector.displayLabel} must be saved again: ${problems.join('; ')}`,
    );
  }
}

/**
 * Groups matched at once: while the directory matches one group, the next is read and mapped and
 * another is matched, so neither the import's mapping nor the directory's queries wait on the other.
 */
const MATCHES_IN_FLIGHT = 2;

/**
 * The provider's users, mapped with the connector's mapping, each external id once, and matched
 * against the directory a group of pages at a time: one directory call and one write per group
 * instead of per page. Groups come in the provider's order.
 */
export function matchedGroups(directory: DirectoryWrites, request: ReadRequest): AsyncIterable<MatchedGroup> {
  refuseUnsafeMapping(request.connector);
  return pMapIterable(
    mappedGroups(request),
    (pages) => matchGroup(directory, request.organizationId, request.connector.id, pages),
    { concurrency: MATCHES_IN_FLIGHT },
  );
}

/** The provider's pages, mapped, each external id once, in groups of about `groupSize` users. */
async function* mappedGroups(request: ReadRequest): AsyncGenerator<MappedPage[]> {
  const { connector } = request;
  // Pages keep coming while a group is mapped and matched: about one group is read ahead.
  const pageSize = connector.paging?.pageSize ?? MAX_IDS_PER_READ;
  const pages = readAhead(request.pages, Math.max(1, Math.ceil(request.groupSize / pageSize)));
  // Transforms are compiled once per job; users are mapped one after another, so that an expression
  // that keeps running too long is given up after a few users.
  const transforms = new MappingTransforms(connector.mapping!);
  const seen = request.seen ?? new Set<string>();
  let pending: MappedPage[] = [];
  const waiting = () => pending.reduce((sum, page) => sum + page.users.length, 0);
  for await (const page of pages) {
    const mapped: MappedUser[] = [];
    for (const user of page.users) mapped.push(await transforms.map(user));
    const fresh = mapped.filter((user) => !user.externalId || firstSighting(seen, user.externalId));
    const warnings =
      fresh.length < mapped.length ? [...page.warnings, REPEATED_USERS_WARNING] : page.warnings;
    await request.onPage?.({ total: page.total, warnings, count: fresh.length });
    pending.push({ total: page.total, warnings, users: fresh });
    if (waiting() >= request.groupSize) {
      yield pending;
      pending = [];
    }
  }
  if (pending.length > 0) yield pending;
}

function firstSighting(seen: Set<string>, externalId: string): boolean {
  if (seen.has(externalId)) return false;
  seen.add(externalId);
  return true;
}

interface MappedPage {
  total: number | null;
  warnings: string[];
  users: MappedUser[];
}

async function matchGroup(
  directory: DirectoryWrites,
  organizationId: string,
  connectorId: string,
  pages: MappedPage[],
): Promise<MatchedGroup> {
  const mapped = pages.flatMap((page) => page.users);
  const candidates = mapped.flatMap((m) =>
    m.externalId
      ? [
          {
            externalId: m.externalId,
            email: typeof m.attributes.email === 'string' ? m.attributes.email : null,
          },
        ]
      : [],
  );
  const names = Object.keys(mapped[0]?.attributes ?? {}) as AttributeName[];
  const matches = await directory.matchUsers({
    organizationId,
    connectorId,
    candidates,
    fingerprintOf: names,
  });
  const fingerprint = attributeFingerprinter(names);
  const matchOf = new Map(candidates.map((c, i) => [c.externalId, matches[i] ?? null]));
  return {
    total: pages.at(-1)?.total ?? null,
    warnings: [...new Set(pages.flatMap((page) => page.warnings))],
    users: mapped.map((m) => {
      const match = m.externalId ? (matchOf.get(m.externalId) ?? null) : null;
      const current =
        match?.matchedBy === 'link' &&
        m.errors.length === 0 &&
        match.fingerprint === fingerprint(m.attributes);
      return { mapped: m, match, current };
    }),
  };
}
