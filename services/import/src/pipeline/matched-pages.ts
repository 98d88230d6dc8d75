import type { ConnectorClient, ConnectorView, ProviderUserPage } from '@uif/connector-client';
import {
  attributeFingerprint,
  type AttributeName,
  type DirectoryClient,
  type UserMatch,
} from '@uif/directory-client';
import { mapProviderUser, type MappedUser } from '@uif/mapping';
import { paginate, readAhead } from '@uif/provider-client';

export interface MatchedUser {
  mapped: MappedUser;
  /** The directory user it is, or null for a new user. */
  match: UserMatch | null;
  /** The directory already holds exactly the mapped attributes (and knows the user by its link). */
  current: boolean;
}

export interface MatchedPage {
  total: number | null;
  warnings: string[];
  users: MatchedUser[];
}

export interface ReadRequest {
  organizationId: string;
  connector: ConnectorView;
  query: string | null;
}

/**
 * The provider's users page by page (read by the connector service with the connector's
 * credentials, one page ahead), each mapped with the connector's mapping and matched against the directory with
 * one call per page.
 */
export async function* matchedPages(
  connectors: ConnectorClient,
  directory: DirectoryClient,
  { organizationId, connector, query }: ReadRequest,
): AsyncGenerator<MatchedPage> {
  const pages = readAhead(
    paginate(
      (offset): Promise<ProviderUserPage> => connectors.userPage(organizationId, connector.id, offset, query),
      connector.paging!,
    ),
  );
  for await (const page of pages) {
    const mapped = page.users.map((user) => mapProviderUser(user, connector.mapping!));
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
      connectorId: connector.id,
      candidates,
      fingerprintOf: names,
    });
    const matchOf = new Map(candidates.map((c, i) => [c.externalId, matches[i] ?? null]));
    yield {
      total: page.total,
      warnings: page.warnings,
      users: mapped.map((m) => {
        const match = m.externalId ? (matchOf.get(m.externalId) ?? null) : null;
        const current =
          match?.matchedBy === 'link' &&
          m.errors.length === 0 &&
          match.fingerprint === attributeFingerprint(m.attributes, names);
        return { mapped: m, match, current };
      }),
    };
  }
}
