import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** Errors of a request the subgraph never read: its idle keep-alive socket closed under the send. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function isConnectionReset(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' && RESET_CODES.has(cause.code);
}

/** The gateway's subgraph operations are printed by its query planner: "query …", "mutation …". */
function isQuery(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  const { query } = JSON.parse(body) as { query?: unknown };
  return typeof query === 'string' && /^\s*(query\b|\{)/.test(query);
}

/**
 * Fetches from a subgraph with Node's fetch, which drops an idle connection before the subgraph's
 * keep-alive timeout says it will (make-fetch-happen, @apollo/gateway's default, keeps it forever,
 * so a request sent as the subgraph closes it fails with "socket hang up"). A query whose connection
 * was reset anyway is sent once more; a mutation never is, since it might have run.
 */
export const subgraphFetch: Fetcher = async (url, init) => {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!isConnectionReset(error) || !isQuery(init?.body)) throw error;
    return fetch(url, init);
  }
};
