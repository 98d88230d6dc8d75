import { JSONPath } from 'jsonpath-plus';
import { asCount, describeValue, detailsOf, jsonBodyOf, urlUnder } from './answers.js';
import { ProviderError } from './errors.js';
import { authorizedGet, type HttpPolicy, type ProviderAuth, type ProviderResponse } from './http.js';

export type TotalCountSource = 'HEADER' | 'BODY' | 'NONE';

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
  offsetParam: string;
  pageSize: number;
  /** The advanced filter, merged into the query string. */
  query?: string | null;
}

export interface UserPage {
  offset: number;
  users: unknown[];
  /** The provider's total, when the configuration says where and it was there. */
  total: number | null;
  response: ProviderResponse;
  warnings: string[];
}

/** Most pages read in one listing: a provider that never ends must not hold an import forever. */
export const MAX_PAGES = 10_000;

export function pageUrl(config: ListUsersConfig, offset: number): URL {
  const url = urlUnder(config.baseUrl, config.path);
  for (const [name, value] of new URLSearchParams((config.query ?? '').replace(/^\?/, ''))) {
    url.searchParams.append(name, value);
  }
  url.searchParams.set(config.limitParam, String(config.pageSize));
  url.searchParams.set(config.offsetParam, String(offset));
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
  const path = location.startsWith('$') ? location : `$.${location}`;
  // A filter that cannot run on an entry (a null in a list) is no match, not a failure of the page.
  const [found] = JSONPath({ path, json: body as object, wrap: true, ignoreEvalErrors: true }) as unknown[];
  const total = asCount(found);
  return total === null
    ? { total, warning: `The total count at ${location} in the body was missing or not a number` }
    : { total };
}

/** Checks one answer and finds the users and the total in it; throws ProviderError naming what is wrong. */
export function readUserPage(config: ListUsersConfig, response: ProviderResponse, offset: number): UserPage {
  const body = jsonBodyOf(response);
  const users = atLocation(body, config.resourceLocation);
  if (!Array.isArray(users)) {
    throw new ProviderError(
      `Expected an array of users at the resource location "${config.resourceLocation}", found ${describeValue(users)}`,
      detailsOf(response),
    );
  }
  const { total, warning } = totalOf(config, response, body);
  return { offset, users, total, response, warnings: warning ? [warning] : [] };
}

/** GETs one page of a REST provider's users. */
export async function fetchUserPage(
  config: ListUsersConfig,
  auth: ProviderAuth,
  policy: HttpPolicy,
  offset: number,
): Promise<UserPage> {
  const response = await authorizedGet(pageUrl(config, offset), auth, policy);
  return readUserPage(config, response, offset);
}

/** What paging needs to know of a listing. */
export interface Paging {
  pageSize: number;
  offsetParam: string;
}

type PageOf = Omit<UserPage, 'response'>;

/**
 * Keeps up to `width` page requests in flight at the offsets the pages will have if each is full
 * (page i at i × pageSize), never past a known total. A page that turns out elsewhere (a provider
 * that sends more than asked) makes the requests ahead start over from the right offset.
 */
class PageWindow {
  private readonly inFlight: { offset: number; page: Promise<PageOf> }[] = [];
  private nextOffset = 0;
  private total: number | null = null;

  constructor(
    private readonly fetchPage: (offset: number) => Promise<PageOf>,
    private readonly pageSize: number,
    private readonly width: number,
  ) {}

  /** The page at `offset`, with the following ones requested meanwhile. */
  async take(offset: number): Promise<PageOf> {
    if (this.inFlight[0]?.offset !== offset) this.restartAt(offset);
    this.fill();
    const page = await this.inFlight.shift()!.page;
    this.total = page.total ?? this.total;
    return page;
  }

  /** The caller stopped: requests ahead are not wanted, nor are their failures. */
  discard(): void {
    this.inFlight.length = 0;
  }

  private restartAt(offset: number): void {
    this.inFlight.length = 0;
    this.nextOffset = offset;
  }

  private fill(): void {
    while (
      this.inFlight.length < this.width &&
      (this.total === null || this.nextOffset < this.total || this.inFlight.length === 0)
    ) {
      const offset = this.nextOffset;
      const page = this.fetchPage(offset);
      page.catch(() => undefined);
      this.inFlight.push({ offset, page });
      this.nextOffset += this.pageSize;
      // Until the first page has told the total, one request at a time.
      if (this.total === null && offset === 0) return;
    }
  }
}

/**
 * Every page of users, in order, from any page source; up to `concurrency` requests in flight (an
 * import never holds more than those pages). Stops at the total, an empty page, a short one when no
 * total is known, or a page equal to the previous one (the provider ignores the offset: said in a
 * warning); fails after MAX_PAGES.
 */
export async function* paginate(
  fetchPage: (offset: number) => Promise<PageOf>,
  paging: Paging,
  maxPages = MAX_PAGES,
  concurrency = 1,
): AsyncGenerator<PageOf> {
  const window = new PageWindow(fetchPage, paging.pageSize, concurrency);
  let offset = 0;
  let previous: string | null = null;
  try {
    for (let count = 0; count < maxPages; count += 1) {
      const page = await window.take(offset);
      const signature = JSON.stringify(page.users);
      if (previous !== null && page.users.length > 0 && signature === previous) {
        yield {
          ...page,
          users: [],
          warnings: [
            ...page.warnings,
            `The provider returned the same users for offset ${offset} as for the page before: ` +
              `it seems to ignore the "${paging.offsetParam}" parameter, so reading stopped`,
          ],
        };
        return;
      }
      yield page;
      offset += page.users.length;
      const reachedTotal = page.total !== null && offset >= page.total;
      // A short page ends the listing only when no total says more are to come: services may send
      // fewer than asked (a SCIM maxResults below the page size) on every page.
      const shortPage = page.users.length < paging.pageSize && page.total === null;
      if (page.users.length === 0 || shortPage || reachedTotal) return;
      previous = signature;
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
): AsyncGenerator<Omit<UserPage, 'response'>> {
  return paginate((offset) => fetchUserPage(config, auth, policy, offset), config, maxPages);
}
