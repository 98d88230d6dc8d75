import { sendJson, startTestServer, type TestServer } from './http-server.js';

/**
 * How our paged HR provider lists its users, as real HR APIs do: page numbers counted from 0 or 1,
 * a cursor in the body, a Link header, or the next page's URL in the body. None of them gives a total.
 */
export type PagedStyle =
  | { style: 'PAGE_NUMBER'; firstPage: 0 | 1 }
  | { style: 'CURSOR' }
  | { style: 'LINK_HEADER' }
  | { style: 'BODY_NEXT_URL' };

/** What goes wrong on the page after the first (`at`: which page, counted from 0; default 1). */
export type PagingFault =
  | { fault: 'repeat-cursor'; at?: number }
  | { fault: 'foreign-next-url'; at?: number }
  | { fault: 'not-json'; at?: number }
  | { fault: 'no-cursor' };

export interface PagedProviderOptions {
  users: unknown[];
  paging: PagedStyle;
  fault?: PagingFault;
  /** Every page answers this much later (an import to watch while it reads). */
  pageDelayMs?: number;
}

const PAGE = 'page';
const PER_PAGE = 'per_page';
const CURSOR = 'cursor';
/** Cursors and page tokens are opaque to a client: base64 of the offset they stand for. */
const tokenFor = (offset: number) => Buffer.from(`after:${offset}`).toString('base64url');
const offsetOf = (token: string | null) =>
  token ? Number(Buffer.from(token, 'base64url').toString().replace('after:', '')) : 0;

/**
 * Where each style keeps the page: PAGE_NUMBER `?page=&per_page=` with users at the root; CURSOR
 * `?limit=&cursor=` with `{ data, meta: { next_cursor } }`; LINK_HEADER `?limit=&page_token=` with a
 * relative `Link: </employees?…>; rel="next"`; BODY_NEXT_URL `{ results, next }` with an absolute URL.
 */
export async function startPagedProvider(options: PagedProviderOptions): Promise<TestServer> {
  const { users, paging, fault } = options;
  let origin = '';
  const server = await startTestServer(async ({ url }, response) => {
    if (options.pageDelayMs) await new Promise((resolve) => setTimeout(resolve, options.pageDelayMs));
    const limit = Number(url.searchParams.get(paging.style === 'PAGE_NUMBER' ? PER_PAGE : 'limit') ?? 100);
    const offset =
      paging.style === 'PAGE_NUMBER'
        ? (Number(url.searchParams.get(PAGE) ?? paging.firstPage) - paging.firstPage) * limit
        : offsetOf(url.searchParams.get(paging.style === 'CURSOR' ? CURSOR : 'page_token'));
    const index = Math.floor(offset / limit);
    const slice = users.slice(offset, offset + limit);
    const last = offset + limit >= users.length;
    if (fault?.fault === 'not-json' && index === (fault.at ?? 1)) {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Maintenance: back soon</body></html>');
      return;
    }
    const repeat = fault?.fault === 'repeat-cursor' && index === (fault.at ?? 1);
    const nextToken = last ? null : tokenFor(repeat ? offset : offset + limit);
    const nextPath =
      nextToken === null ? null : `/employees?limit=${limit}&page_token=${encodeURIComponent(nextToken)}`;
    const foreign = fault?.fault === 'foreign-next-url' && index === (fault.at ?? 1);
    const nextUrl = nextPath && (foreign ? `http://127.0.0.2:9${nextPath}` : `${origin}${nextPath}`);
    switch (paging.style) {
      case 'PAGE_NUMBER':
        return sendJson(response, 200, slice);
      case 'CURSOR':
        return sendJson(
          response,
          200,
          fault?.fault === 'no-cursor' ? { data: slice } : { data: slice, meta: { next_cursor: nextToken } },
        );
      case 'LINK_HEADER':
        return sendJson(
          response,
          200,
          slice,
          nextUrl ? { link: `<${foreign ? nextUrl : nextPath}>; rel="next", </employees>; rel="first"` } : {},
        );
      case 'BODY_NEXT_URL':
        return sendJson(response, 200, { results: slice, next: nextUrl });
    }
  });
  origin = server.url;
  return server;
}

/** The connector's listUsers input for a provider of `startPagedProvider` with this style. */
export function pagedListUsers(paging: PagedStyle, pageSize = 100): Record<string, unknown> {
  const common = { path: '/employees', totalCountSource: 'NONE', pageSize };
  switch (paging.style) {
    case 'PAGE_NUMBER':
      return {
        ...common,
        resourceLocation: '.',
        pagination: 'PAGE_NUMBER',
        limitParam: PER_PAGE,
        offsetParam: PAGE,
        firstPage: paging.firstPage,
      };
    case 'CURSOR':
      return {
        ...common,
        resourceLocation: 'data',
        pagination: 'CURSOR',
        limitParam: 'limit',
        offsetParam: CURSOR,
        cursorPath: 'meta.next_cursor',
      };
    case 'LINK_HEADER':
      return { ...common, resourceLocation: '.', pagination: 'NEXT_URL', limitParam: 'limit' };
    case 'BODY_NEXT_URL':
      return {
        ...common,
        resourceLocation: 'results',
        pagination: 'NEXT_URL',
        limitParam: 'limit',
        nextUrlPath: 'next',
      };
  }
}
