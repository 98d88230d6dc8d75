import type { ConnectorClient, ListedUserPage, PagePosition } from '@uif/connector-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { isTransient, RETRY_DELAY_MS, type RetryPolicy } from './retrying.js';

export interface ListingRequest {
  organizationId: string;
  connectorId: string;
  query: string | null;
  pageSize: number;
  /** The paths the mapping reads users at: the connector sends only what they can read. */
  readPaths: string[];
}

/**
 * The provider's users, page by page, as the connector service lists them in one long answer. When
 * that service stops answering mid-way (restarted, or its database briefly down), the listing is
 * asked for again from the page after the last one read, for as long as calls are retried.
 */
export async function* providerListing(
  connectors: Pick<ConnectorClient, 'userListing'>,
  { retryMs, log, context }: RetryPolicy,
  { organizationId, connectorId, query, pageSize, readPaths }: ListingRequest,
): AsyncGenerator<ListedUserPage> {
  let from: PagePosition | undefined;
  let failingSince: number | null = null;
  for (let attempt = 1; ; attempt += 1) {
    try {
      for await (const page of connectors.userListing(organizationId, connectorId, {
        query,
        pageSize,
        readPaths,
        ...(from ? { from } : {}),
      })) {
        failingSince = null;
        attempt = 1;
        yield page;
        from = page.after ?? from;
      }
      return;
    } catch (error) {
      failingSince ??= Date.now();
      if (!isTransient(error) || Date.now() - failingSince >= retryMs) throw error;
      log.warn(
        { ...context, attempt, err: error },
        'the listing stopped on a service that is down: reading on',
      );
      await sleep(Math.min(RETRY_DELAY_MS.max, RETRY_DELAY_MS.min * 2 ** (attempt - 1)));
    }
  }
}
