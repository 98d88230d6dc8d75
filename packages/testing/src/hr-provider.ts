import type { IncomingHttpHeaders } from 'node:http';
import { sendJson, startTestServer, type TestServer } from './http-server.js';

export interface HrProviderOptions {
  /** The provider's users; the array may be changed between requests. */
  users: unknown[];
  limitParam?: string;
  offsetParam?: string;
  /** Where the user array goes in the body: [] for the root, ['data', 'users'] for { data: { users } }. */
  resourcePath?: string[];
  /** Where the total goes: a header, a body path, or nowhere. */
  total?: { header: string } | { bodyPath: string[] };
  /** Answers 401 with a JSON error when this returns false. */
  authorize?: (headers: IncomingHttpHeaders) => boolean | Promise<boolean>;
}

export interface HrProvider extends TestServer {
  users: unknown[];
  /** From this offset on, every page answers 500 (the provider dies mid-listing); null heals it. */
  failFrom(offset: number | null): void;
  /** Every page answers this much later (a slow provider). */
  delayPages(ms: number): void;
}

function nest(path: string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** A small HR system of ours on a real HTTP server: users by limit/offset, as a custom-API connector reads them. */
export async function startHrProvider(options: HrProviderOptions): Promise<HrProvider> {
  const limitParam = options.limitParam ?? 'limit';
  const offsetParam = options.offsetParam ?? 'offset';
  let failFromOffset: number | null = null;
  let pageDelayMs = 0;
  const server = await startTestServer(async ({ url, headers }, response) => {
    if (options.authorize && !(await options.authorize(headers))) {
      sendJson(response, 401, { error: 'invalid_credentials', message: 'The API key is not valid' });
      return;
    }
    if (pageDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, pageDelayMs));
    const offset = Number(url.searchParams.get(offsetParam) ?? 0);
    if (failFromOffset !== null && offset >= failFromOffset) {
      sendJson(response, 500, { error: 'The HR database is down' });
      return;
    }
    const limit = Number(url.searchParams.get(limitParam) ?? 100);
    const page = options.users.slice(offset, offset + limit);
    let body = nest(options.resourcePath ?? [], page);
    const extraHeaders: Record<string, string> = {};
    if (options.total && 'header' in options.total)
      extraHeaders[options.total.header] = String(options.users.length);
    if (options.total && 'bodyPath' in options.total) {
      body = { ...(body as object), ...(nest(options.total.bodyPath, options.users.length) as object) };
    }
    sendJson(response, 200, body, extraHeaders);
  });
  return Object.assign(server, {
    users: options.users,
    failFrom(offset: number | null) {
      failFromOffset = offset;
    },
    delayPages(ms: number) {
      pageDelayMs = ms;
    },
  });
}
