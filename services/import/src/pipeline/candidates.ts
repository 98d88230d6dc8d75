import type { ConnectorClient } from '@uif/connector-client';
import { mappingReadPaths } from '@uif/mapping';
import type { DirectoryClient } from '@uif/directory-client';
import type { ImportCandidate } from '../import-job/import-job.types.js';
import { ImportStateError } from '../import-job/import-job.errors.js';
import { matchedGroups } from './matched-pages.js';

/** Most candidates listed: the selection screen is for picking people, not for bulk imports. */
export const MAX_CANDIDATES = 10_000;
const CANDIDATE_GROUP = 500;

/**
 * New users the provider has that match nobody in the directory, with an active status and a
 * mapping that works: what "select specific new users" offers.
 */
export async function importCandidates(
  connectors: ConnectorClient,
  directory: DirectoryClient,
  organizationId: string,
  connectorId: string,
  query: string | null,
): Promise<{ totalCount: number; nodes: ImportCandidate[]; unmappableCount: number }> {
  const connector = await connectors.connector(organizationId, connectorId);
  if (connector.state !== 'ACTIVE' || !connector.mapping || !connector.paging) {
    throw new ImportStateError(`Connector ${connector.displayLabel} must be active to list its new users`);
  }
  const nodes: ImportCandidate[] = [];
  let totalCount = 0;
  let unmappableCount = 0;
  const groups = matchedGroups(directory, {
    organizationId,
    connector,
    groupSize: CANDIDATE_GROUP,
    pages: connectors.userListing(organizationId, connectorId, {
      query,
      pageSize: connector.paging.pageSize,
      readPaths: mappingReadPaths(connector.mapping),
    }),
  });
  for await (const page of groups) {
    for (const { mapped, match } of page.users) {
      if (match || mapped.statusClass === 'inactive') continue;
      if (mapped.errors.length > 0) {
        unmappableCount += 1;
        continue;
      }
      if (mapped.statusClass !== 'active') continue;
      totalCount += 1;
      if (nodes.length >= MAX_CANDIDATES) continue;
      const text = (value: unknown) => (typeof value === 'string' ? value : null);
      nodes.push({
        externalId: mapped.externalId!,
        email: text(mapped.attributes.email),
        username: text(mapped.attributes.username),
        firstname: text(mapped.attributes.firstname),
        lastname: text(mapped.attributes.lastname),
        displayname: text(mapped.attributes.displayname),
        status: mapped.status,
      });
    }
  }
  return { totalCount, nodes, unmappableCount };
}
