import LinkHeader from 'http-link-header';
import { JSONPath } from 'jsonpath-plus';
import { asCount, describeValue, detailsOf, excerpt, jsonBodyOf, urlUnder } from './answers.js';
import { ProviderError } from './errors.js';
import { authorizedGet, type HttpPolicy, type ProviderAuth, type ProviderResponse } from './http.js';

export type TotalCountSource = 'HEADER' | 'BODY' | 'NONE';

/** How a provider's pages follow each other (the contract's PaginationStyle). */
export type PaginationStyle = 'OFFSET' | 'PAGE_NUMBER' | 'CURSOR' | 'NEXT_URL';

/** Where and how a provider lists its users (the connector's List Users configuration). */
export interface ListUsersConfig {
  baseUrl: string;
  path: string;
  /** '.' for a root array, else a dotted path such as data.resources.users. */
  resourceLocation: string;
  totalCountSource: TotalCountSource;
  /** Header name (HEADER) or JSON path (BODY). */
  totalCountLocation?: string | null;
  limitParam: string;
  /** The offset (OFFSET), page number (PAGE_NUMBER) or cursor (CURSOR) parameter; unused by NEXT_URL. */
  offsetParam: string | null;
  pageSize: number;
  /** OFFSET when absent. */
  pagination?: PaginationStyle | undefined;
  /** PAGE_NUMBER: the number of the first page (1 when absent). */
  firstPage?: number | null | undefined;
  /** CURSOR: the JSON path of the next page's cursor in the body. */
  cursorPath?: string | null | undefined;
  /** NEXT_URL: the JSON path of the next page's URL in the body; absent: the Link header. */
  nextUrlPath?: string | null | undefined;
  /** The advanced filter, merged into the query string. */
  query?: string | null;
}

/** Where a page starts. */
export interface PagePosition {
  /** Users read before it. */
  offset: number;
  /** Pages read before it. */
  index: number;
  /** CURSOR: the cursor, NEXT_URL: the URL, that the page before gave; null for the first page. */
  next: string | null;
}

export const FIRST_PAGE: PagePosition = { offset: 0, index: 0, next: null };

export interface UserPage {
  offset: number;
  users: unknown[];
  /** The provider's total, when the configuration says where and it was there. */
  total: number | null;
  /** CURSOR and NEXT_URL: the cursor or URL of the next page; null when this page is the last. */
  next: string | null;
  response: ProviderResponse;
  warnings: string[];
}

/** Most pages read in one listing: a provider that never ends must not hold an import forever. */
export const MAX_PAGES = 10_000;

const styleOf = (config: Pick<ListUsersConfig, 'pagination'>): PaginationStyle =>
  config.pagination ?? 'OFFSET';

/** The URL of the page at `at` (a bare number: the offset, for OFFSET). */
export function pageUrl(config: ListUsersConfig, at: number | PagePosition): URL {
  const position = typeof at === 'number' ? { ...FIRST_PAGE, offset: at } : at;
  const style = styleOf(config);
  if (style === 'NEXT_URL' && position.next !== null) return sameOriginUrl(config, position.next);
  const url = urlUnder(config.baseUrl, config.path);
  for (const [name, value] of new URLSearchParams((config.query ?? '').replace(/^\?/, ''))) {
    url.searchParams.append(name, value);
  }
  url.searchParams.set(config.limitParam, String(config.pageSize));
  const place =
    style === 'OFFSET'
      ? String(position.offset)
      : style === 'PAGE_NUMBER'
        ? String((config.firstPage ?? 1) + position.index)
        : style === 'CURSOR'
          ? position.next
          : null;
  if (place !== null && config.offsetParam) url.searchParams.set(config.offsetParam, place);
  return url;
}

/** A next-page URL as given (relative to the page's own), refused on another origin than baseUrl. */
function sameOriginUrl(config: ListUsersConfig, next: string, relativeTo?: string): URL {
  const url = URL.canParse(next, relativeTo) ? new URL(next, relativeTo) : null;
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new ProviderError(`The next page's URL "${excerpt(next, 200)}" is not an http(s) URL`);
  }
  const origin = new URL(config.baseUrl).origin;
  if (url.origin !== origin) {
    throw new ProviderError(
      `The next page's URL ${excerpt(url.toString(), 200)} is on another origin than the base URL ${origin}: reading stopped`,
    );
  }
  return url;
}

/** The value at a dotted location ('.' is the root). */
function atLocation(body: unknown, location: string): unknown {
  if (location === '.' || location === '' || location === '$') return body;
  return location
    .replace(/^\$\.?/, '')
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      body,
    );
}

/** The single value at a JSON path of the body (a dotted location is read as $.location). */
function bodyValue(body: unknown, location: string): unknown {
  const path = location.startsWith('$') ? location : `$.${location}`;
  // A filter that cannot run on an entry (a null in a list) is no match, not a failure of the page.
  const [found] = JSONPath({ path, json: body as object, wrap: true, ignoreEvalErrors: true }) as unknown[];
  return found;
}

function totalOf(
  config: ListUsersConfig,
  response: ProviderResponse,
  body: unknown,
): { total: number | null; warning?: string } {
  const location = config.totalCountLocation ?? '';
  if (config.totalCountSource === 'NONE') return { total: null };
  if (config.totalCountSource === 'HEADER') {
    const header = response.headers[location.toLowerCase()];
    const total = asCount(Array.isArray(header) ? header[0] : header);
    return total === null
      ? { total, warning: `The total count header ${location} was missing or not a number` }
      : { total };
  }
  const total = asCount(bodyValue(body, location));
  return total === null
    ? { total, warning: `The total count at ${location} in the body was missing or not a number` }
    : { total };
}

/** The rel="next" target of a Link header, or undefined when there is none. */
function linkNext(response: ProviderResponse): string | undefined {
  const header = response.headers.link;
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (!value) return undefined;
  try {
    return LinkHeader.parse(value).rel('next')[0]?.uri;
  } catch {
    throw new ProviderError(`The Link header is not valid: ${excerpt(value, 200)}`, detailsOf(response));
  }
}

/**
 * CURSOR and NEXT_URL: the next page's cursor or URL on this page, or null at the end. Nothing at
 * all where the configuration says, on a full first page the total does not call complete, means
 * the configuration misses the provider's paging: an error naming it, not a listing cut short.
 */
function nextOf(
  config: ListUsersConfig,
  response: ProviderResponse,
  body: unknown,
  page: { position: PagePosition; users: unknown[]; total: number | null },
): string | null {
  const style = styleOf(config);
  if (style !== 'CURSOR' && style !== 'NEXT_URL') return null;
  const location = style === 'CURSOR' ? config.cursorPath : config.nextUrlPath;
  const where = location ? `the path ${location}` : 'the Link header';
  const found = location ? bodyValue(body, location) : linkNext(response);
  const complete = page.total !== null && page.position.offset + page.users.length >= page.total;
  if (found === undefined && page.position.index === 0 && page.users.length >= config.pageSize && !complete) {
    throw new ProviderError(
      `The first page was full but ${where} found no ${style === 'CURSOR' ? 'cursor' : 'next URL'} in it: check the connector's ${location ? (style === 'CURSOR' ? 'cursorPath' : 'nextUrlPath') : 'pagination'}`,
      detailsOf(response),
    );
  }
  if (found === undefined || found === null || found === '' || found === false) return null;
  if (typeof found !== 'string' && typeof found !== 'number') {
    throw new ProviderError(
      `Expected the next page's ${style === 'CURSOR' ? 'cursor' : 'URL'} at ${where}, found ${describeValue(found)}`,
      detailsOf(response),
    );
  }
  return style === 'CURSOR' ? String(found) : sameOriginUrl(config, String(found), response.url).toString();
}

/** Checks one answer and finds the users, the total and the next page in it; throws ProviderError naming what is wrong. */
export function readUserPage(
  config: ListUsersConfig,
  response: ProviderResponse,
  at: number | PagePosition,
): UserPage {
  const position = typeof at === 'number' ? { ...FIRST_PAGE, offset: at } : at;
  const offset = position.offset;
  const body = jsonBodyOf(response);
  const users = atLocation(body, config.resourceLocation);
  if (!Array.isArray(users)) {
    throw new ProviderError(
      `Expected an array of users at the resource location "${config.resourceLocation}", found ${describeValue(users)}`,
      detailsOf(response),
    );
  }
  const { total, warning } = totalOf(config, response, body);
  const next = nextOf(config, response, body, { position, users, total });
  return { offset, users, total, next, response, warnings: warning ? [warning] : [] };
}

/** GETs one page of a REST provider's users. */
export async function fetchUserPage(
  config: ListUsersConfig,
  auth: ProviderAuth,
  policy: HttpPolicy,
  at: number | PagePosition,
): Promise<UserPage> {
  const response = await authorizedGet(pageUrl(config, at), auth, policy);
  return readUserPage(config, response, at);
}

/** What paging needs to know of a listing. */
export interface Paging {
  pageSize: number;
  offsetParam: string | null;
  /** OFFSET when absent. */
  pagination?: PaginationStyle | undefined;
}

/** A page as paging reads it: `next` only from the styles that give one. */
type PageOf = Omit<UserPage, 'response' | 'next'> & { next?: string | null | undefined };

/** What the connection test says of the style and the page after the first. */
export function describePaging(config: ListUsersConfig, first: UserPage): string {
  const style = styleOf(config);
  const name = {
    OFFSET: 'by offset',
    PAGE_NUMBER: 'by page number',
    CURSOR: 'by cursor',
    NEXT_URL: 'by next URL',
  }[style];
  const last =
    (style === 'CURSOR' || style === 'NEXT_URL'
      ? first.next === null
      : first.users.length < config.pageSize && first.total === null) ||
    first.users.length === 0 ||
    (first.total !== null && first.users.length >= first.total);
  if (last) return `Paged ${name} (${style}): the first page is the only one.`;
  const next = { offset: first.users.length, index: 1, next: first.next };
  return `Paged ${name} (${style}): the next page would be GET ${pageUrl(config, next).toString()}.`;
}

/**
 * Keeps up to `width` page requests in flight at the positions the pages will have if each is full
 * (page i at i × pageSize), never past a known total. A page that turns out elsewhere (a provider
 * that sends more than asked) makes the requests ahead start over from the right position. Paging
 * by cursor or next URL knows a page's position only from the page before: one request at a time.
 */
class PageWindow {
  private readonly inFlight: { position: PagePosition; page: Promise<PageOf> }[] = [];
  private nextPosition: PagePosition = FIRST_PAGE;
  private total: number | null = null;
  private readonly width: number;

  constructor(
    private readonly fetchPage: (position: PagePosition) => Promise<PageOf>,
    private readonly paging: Paging,
    width: number,
  ) {
    const style = styleOf(paging);
    this.width = style === 'OFFSET' || style === 'PAGE_NUMBER' ? width : 1;
  }

  /** The page at `position`, with the following ones requested meanwhile. */
  async take(position: PagePosition): Promise<PageOf> {
    const ahead = this.inFlight[0]?.position;
    if (!ahead || !this.samePlace(ahead, position)) this.restartAt(position);
    this.fill();
    const page = await this.inFlight.shift()!.page;
    this.total = page.total ?? this.total;
    return page;
  }

  /** The caller stopped: requests ahead are not wanted, nor are their failures. */
  discard(): void {
    this.inFlight.length = 0;
  }

  /** Page numbers count pages, whatever their length; the other styles, users. */
  private samePlace(a: PagePosition, b: PagePosition): boolean {
    if (styleOf(this.paging) === 'PAGE_NUMBER') return a.index === b.index;
    return a.offset === b.offset && a.next === b.next;
  }

  private restartAt(position: PagePosition): void {
    this.inFlight.length = 0;
    this.nextPosition = position;
  }

  private fill(): void {
    while (
      this.inFlight.length < this.width &&
      (this.total === null || this.nextPosition.offset < this.total || this.inFlight.length === 0)
    ) {
      const position = this.nextPosition;
      const page = this.fetchPage(position);
      page.catch(() => undefined);
      this.inFlight.push({ position, page });
      this.nextPosition = {
        offset: position.offset + this.paging.pageSize,
        index: position.index + 1,
        next: null,
      };
      // Until the first page has told the total, one request at a time.
      if (this.total === null && position.index === 0) return;
    }
  }
}

/** What paging by this style reads next; throws when a cursor or URL comes a second time (a loop). */
function positionAfter(
  paging: Paging,
  position: PagePosition,
  page: PageOf,
  seen: Set<string>,
): PagePosition | null {
  const style = styleOf(paging);
  const offset = position.offset + page.users.length;
  if (style === 'OFFSET' || style === 'PAGE_NUMBER') {
    const reachedTotal = page.total !== null && offset >= page.total;
    // A short page ends the listing only when no total says more are to come: services may send
    // fewer than asked (a SCIM maxResults below the page size) on every page.
    const shortPage = page.users.length < paging.pageSize && page.total === null;
    if (page.users.length === 0 || shortPage || reachedTotal) return null;
    return { offset, index: position.index + 1, next: null };
  }
  if (!page.next || page.users.length === 0) return null;
  if (seen.has(page.next)) {
    const what =
      style === 'CURSOR' ? `cursor "${excerpt(page.next, 200)}"` : `next URL ${excerpt(page.next, 200)}`;
    throw new ProviderError(
      `The provider gave the ${what} a second time (after ${position.index + 1} pages): reading stopped, since it would loop`,
    );
  }
  seen.add(page.next);
  return { offset, index: position.index + 1, next: page.next };
}

/** A page as a listing yields it: with where the listing goes on after it (null: it ends there). */
export type ListedPage = PageOf & { after: PagePosition | null };

/**
 * Every page of users, in order, from any page source and in any pagination style, from `from` on
 * (a listing resumed where it stopped); up to `concurrency` requests in flight for OFFSET and
 * PAGE_NUMBER (an import never holds more than those pages). OFFSET and PAGE_NUMBER stop at the
 * total, an empty page, or a short one when no total is known; CURSOR and NEXT_URL when a page gives
 * no next cursor or URL (or no users). Any style stops at a page equal to the previous one (the
 * provider ignores the paging parameter: said in a warning); a cursor or URL given twice fails, after
 * its page, and so does a listing past MAX_PAGES.
 */
export async function* paginate(
  fetchPage: (position: PagePosition) => Promise<PageOf>,
  paging: Paging,
  maxPages = MAX_PAGES,
  concurrency = 1,
  from: PagePosition = FIRST_PAGE,
): AsyncGenerator<ListedPage> {
  const window = new PageWindow(fetchPage, paging, concurrency);
  let position: PagePosition = from;
  let previous: unknown[] | null = null;
  const seen = new Set<string>();
  try {
    for (let count = 0; count < maxPages; count += 1) {
      const page = await window.take(position);
      if (previous !== null && sameUsers(page.users, previous)) {
        const parameter = paging.offsetParam ? `the "${paging.offsetParam}" parameter` : 'the next URL';
        yield {
          ...page,
          users: [],
          warnings: [
            ...page.warnings,
            `The provider returned the same users for offset ${position.offset} as for the page before: ` +
              `it seems to ignore ${parameter}, so reading stopped`,
          ],
          after: null,
        };
        return;
      }
      let after: PagePosition | null = null;
      let loop: unknown = null;
      try {
        after = positionAfter(paging, position, page, seen);
      } catch (error) {
        loop = error;
      }
      yield { ...page, after };
      if (loop) throw loop;
      if (after === null) return;
      position = after;
      previous = page.users;
    }
    throw new ProviderError(`The provider still had users after ${maxPages} pages; reading stopped there`);
  } finally {
    window.discard();
  }
}

/** Every page of a REST provider's users. */
export function listUserPages(
  config: ListUsersConfig,
  auth: ProviderAuth,
  policy: HttpPolicy,
  maxPages = MAX_PAGES,
): AsyncGenerator<ListedPage> {
  return paginate((position) => fetchUserPage(config, auth, policy, position), config, maxPages);
}

/**
 * Whether a page lists the same users as the page before. The first users are compared before the
 * whole pages: a provider that pages properly starts each page with another user, so a long listing
 * is not serialized twice over to find the one that ignores its paging parameter.
 */
function sameUsers(users: unknown[], previous: unknown[]): boolean {
  return (
    users.length > 0 &&
    users.length === previous.length &&
    JSON.stringify(users[0]) === JSON.stringify(previous[0]) &&
    JSON.stringify(users) === JSON.stringify(previous)
  );
}
