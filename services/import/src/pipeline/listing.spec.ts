import type { ConnectorClient, ListedUserPage, UserListingRequest } from '@uif/connector-client';
import { DomainError, InternalCallError } from '@uif/runtime';
import { capturedLogger } from '@uif/testing';
import { describe, expect, it } from 'vitest';
import { providerListing } from './listing.js';

const PAGE = 10;
const USERS = 45;

/** A page of the listing at `offset`, with where the listing goes on after it. */
function pageAt(offset: number): ListedUserPage {
  const users = Array.from({ length: Math.min(PAGE, USERS - offset) }, (_, i) => ({ id: offset + i }));
  const end = offset + users.length >= USERS;
  return {
    offset,
    users,
    total: USERS,
    warnings: [],
    after: end ? null : { offset: offset + PAGE, index: offset / PAGE + 1, next: null },
  };
}

/** A connector service whose answers (counted from 1) named in `cuts` fail at offset 20 with their error. */
function connectorService(cuts: Map<number, Error>) {
  const requests: UserListingRequest[] = [];
  const service: Pick<ConnectorClient, 'userListing'> = {
    async *userListing(_organizationId, _connectorId, request) {
      const answer = requests.push(request);
      for (let offset = request.from?.offset ?? 0; offset < USERS; offset += PAGE) {
        const cut = cuts.get(answer);
        if (cut && offset >= 20) throw cut;
        yield pageAt(offset);
      }
    },
  };
  return { service, requests };
}

async function readAll(service: Pick<ConnectorClient, 'userListing'>, retryMs = 5_000) {
  const { log, lines } = capturedLogger('listing-test');
  const ids: number[] = [];
  const listing = providerListing(
    service,
    { retryMs, log, context: { jobId: 'job-1' } },
    { organizationId: 'org-1', connectorId: 'connector-1', query: null, pageSize: PAGE, readPaths: ['$.id'] },
  );
  for await (const page of listing) ids.push(...page.users.map((user) => (user as { id: number }).id));
  return { ids, lines };
}

describe('the provider listing', () => {
  it('reads on from the page after the last one read when the connector service stops mid-way', async () => {
    const { service, requests } = connectorService(
      new Map([[1, new InternalCallError(0, 'connector stopped answering')]]),
    );
    const { ids, lines } = await readAll(service);
    expect(ids).toEqual(Array.from({ length: USERS }, (_, i) => i));
    expect(requests.map((request) => request.from ?? null)).toEqual([
      null,
      { offset: 20, index: 2, next: null },
    ]);
    // Read again with the same page size, and cut down to the same paths.
    expect(requests.every((request) => request.pageSize === PAGE)).toBe(true);
    expect(requests.map((request) => request.readPaths)).toEqual([['$.id'], ['$.id']]);
    expect(lines.join('\n')).toContain('the listing stopped on a service that is down');
  });

  it("fails at once on the provider's own error: reading again would not change its answer", async () => {
    const { service, requests } = connectorService(
      new Map([[1, new DomainError('PROVIDER_ERROR', 'The provider answered HTTP 500')]]),
    );
    await expect(readAll(service)).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
    expect(requests).toHaveLength(1);
  });

  it('gives up once the service has been down for longer than calls are retried', async () => {
    const down = new InternalCallError(0, 'connector stopped answering');
    const { service, requests } = connectorService(new Map([1, 2, 3, 4, 5].map((n) => [n, down])));
    await expect(readAll(service, 400)).rejects.toBe(down);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.length).toBeLessThan(5);
  });
});
