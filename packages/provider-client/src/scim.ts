import { asCount, describeValue, detailsOf, excerpt, jsonBodyOf, urlUnder } from './answers.js';
import { ProviderError } from './errors.js';
import { authorizedGet, type HttpPolicy, type ProviderAuth, type ProviderResponse } from './http.js';
import type { UserPage } from './pages.js';

/** Users asked for per SCIM page (the `count` parameter). */
export const SCIM_PAGE_SIZE = 100;

/** RFC 7644 §3.8: a client asks for SCIM's media type; plain JSON is accepted too. */
const SCIM_ACCEPT = 'application/scim+json, application/json;q=0.9';

function scimGet(url: URL, auth: ProviderAuth, policy: HttpPolicy): Promise<ProviderResponse> {
  return authorizedGet(url, auth, policy, SCIM_ACCEPT);
}

/** One request of a SCIM service's users: `offset` is 0-based, SCIM's startIndex is offset + 1. */
export interface ScimListRequest {
  baseUrl: string;
  offset: number;
  count: number;
  /** A SCIM filter expression (RFC 7644 §3.4.2.2), e.g. userName eq "ada". */
  filter?: string | null;
  /** The connection test's one-user sample: a total of 1 is then as likely true as the page's size. */
  sample?: boolean;
}

export function scimUsersUrl(request: ScimListRequest): URL {
  const url = urlUnder(request.baseUrl, '/Users');
  url.searchParams.set('startIndex', String(request.offset + 1));
  url.searchParams.set('count', String(request.count));
  if (request.filter) url.searchParams.set('filter', request.filter);
  return url;
}

/** An import's advanced query is a SCIM filter; a `filter=` prefix, as in a query string, is dropped. */
export function scimFilter(query: string | null | undefined): string | null {
  const filter = (query ?? '').trim().replace(/^\??filter=/i, '');
  return filter === '' ? null : filter;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A SCIM error body (RFC 7644 §3.12) in words: its status, scimType and detail, verbatim. */
export function describeScimAnswer(response: ProviderResponse): string {
  const what = `The SCIM service answered HTTP ${response.status} to GET ${response.url}`;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return response.body.trim() ? `${what}: ${excerpt(response.body.trim())}` : what;
  }
  if (!isRecord(body)) return what;
  // Verbatim, up to a length a message can carry: the whole body travels in the error's details.
  // The body's own status is said when it differs from the HTTP one (a 200 carrying an error).
  const status =
    typeof body.status === 'string' || typeof body.status === 'number' ? String(body.status) : null;
  const said = [
    ...(status !== null && status.trim() !== String(response.status)
      ? [`SCIM status ${excerpt(status, 20)}`]
      : []),
    ...(typeof body.scimType === 'string' ? [`scimType ${excerpt(body.scimType, 100)}`] : []),
  ];
  const detail = typeof body.detail === 'string' ? `: ${excerpt(body.detail, 2_000)}` : '';
  return `${what}${said.length > 0 ? ` (${said.join(', ')})` : ''}${detail}`;
}

/**
 * Reads a ListResponse (RFC 7644 §3.4.2), tolerating what real services do: Resources left out of
 * an empty answer, startIndex echoed 0-based and itemsPerPage that does not match (both ignored:
 * the offset is ours), and totalResults missing or equal to the page's size.
 */
export function readScimUserPage(response: ProviderResponse, request: ScimListRequest): UserPage {
  const body = jsonBodyOf(response, describeScimAnswer);
  if (!isRecord(body)) {
    throw new ProviderError(
      `Expected a SCIM ListResponse object from GET ${response.url}, found ${describeValue(body)}`,
      detailsOf(response),
    );
  }
  const resources = body.Resources ?? body.resources ?? [];
  if (!Array.isArray(resources)) {
    throw new ProviderError(
      `Expected the ListResponse's Resources to be an array, found ${describeValue(resources)}`,
      detailsOf(response),
    );
  }
  const warnings: string[] = [];
  let total = asCount(body.totalResults);
  if (total === null) {
    warnings.push('The SCIM service gave no totalResults: users were read until a short page');
  } else if (total === resources.length && resources.length >= request.count && !request.sample) {
    // Some services put the page's size here: a full page says nothing of what follows.
    total = null;
    warnings.push('The SCIM service gave the page size as totalResults: users were read until a short page');
  }
  return { offset: request.offset, users: resources, total, next: null, response, warnings };
}

export function fetchScimUserPage(
  request: ScimListRequest,
  auth: ProviderAuth,
  policy: HttpPolicy,
): Promise<UserPage> {
  return scimGet(scimUsersUrl(request), auth, policy).then((response) => readScimUserPage(response, request));
}

/**
 * GET /Users/{id} (RFC 7644 §3.4.1): the user, or null when the service has none with that id
 * (404). Any other failure throws ProviderError with the service's SCIM error.
 */
export async function fetchScimUser(
  baseUrl: string,
  id: string,
  auth: ProviderAuth,
  policy: HttpPolicy,
): Promise<unknown> {
  const response = await scimGet(urlUnder(baseUrl, `/Users/${encodeURIComponent(id)}`), auth, policy);
  if (response.status === 404) return null;
  const user = jsonBodyOf(response, describeScimAnswer);
  if (!isRecord(user)) {
    throw new ProviderError(
      `Expected a SCIM User object from GET ${response.url}, found ${describeValue(user)}`,
      detailsOf(response),
    );
  }
  return user;
}

/** The multi-valued attributes of a SCIM User whose entries carry a `primary` flag. */
const MULTI_VALUED = ['emails', 'phoneNumbers', 'addresses', 'ims', 'photos', 'entitlements', 'roles'];

/** true/false, "True"/"False" (any case) and 1/0 as booleans; anything else unchanged. */
function asBoolean(value: unknown): unknown {
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
    return value.trim().toLowerCase() === 'true';
  if (value === 1 || value === 0 || value === '1' || value === '0') return Number(value) === 1;
  return value;
}

/** One entry of a multi-valued attribute: `primary` a boolean, `type` in its canonical lower case. */
function normalizeEntry(entry: unknown): unknown {
  if (!isRecord(entry)) return entry;
  return {
    ...entry,
    ...('primary' in entry ? { primary: asBoolean(entry.primary) } : {}),
    ...(typeof entry.type === 'string' ? { type: entry.type.trim().toLowerCase() } : {}),
  };
}

/**
 * A SCIM User as the mapping reads it: `active` and every `primary` flag as real booleans, types
 * such as "Work" as "work" (RFC 7643's canonical values), the primary entry of each multi-valued
 * attribute first (a mapping by type takes the first entry it finds, so the preferred one wins), and
 * `active` true when the service leaves it out (RFC 7643 makes it optional; an importable user is
 * one the application has not switched off).
 */
export function normalizeScimUser(user: unknown): unknown {
  if (!isRecord(user)) return user;
  const normalized: Record<string, unknown> = { ...user, active: asBoolean(user.active ?? true) };
  for (const name of MULTI_VALUED) {
    const values = user[name];
    if (!Array.isArray(values)) continue;
    const entries = values.map(normalizeEntry);
    const isPrimary = (entry: unknown) => isRecord(entry) && entry.primary === true;
    normalized[name] = [...entries.filter(isPrimary), ...entries.filter((entry) => !isPrimary(entry))];
  }
  return normalized;
}

/** What GET /ServiceProviderConfig told of the service: null when the service does not offer it. */
export interface ScimServiceConfig {
  filterSupported: boolean | null;
  maxResults: number | null;
}

/** What services that lack the optional /ServiceProviderConfig answer it with. */
const NOT_OFFERED = new Set([400, 403, 404, 405, 501]);

/**
 * GET /ServiceProviderConfig (RFC 7644 §4): null when the service does not offer it (NOT_OFFERED);
 * any other failure (401, a refused credential, included) throws ProviderError saying so.
 */
export async function fetchScimServiceConfig(
  baseUrl: string,
  auth: ProviderAuth,
  policy: HttpPolicy,
): Promise<ScimServiceConfig | null> {
  const response = await scimGet(urlUnder(baseUrl, '/ServiceProviderConfig'), auth, policy);
  if (NOT_OFFERED.has(response.status)) return null;
  const body = jsonBodyOf(response, describeScimAnswer);
  const filter = isRecord(body) && isRecord(body.filter) ? body.filter : {};
  const supported = asBoolean(filter.supported);
  return {
    filterSupported: typeof supported === 'boolean' ? supported : null,
    maxResults: asCount(filter.maxResults),
  };
}
