import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import { sendJson, startTestServer, type TestServer } from './http-server.js';

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCIM_BASE_PATH = '/scim/v2';
const SCIM_CONTENT_TYPE = { 'content-type': 'application/scim+json' };

export interface ScimMultiValue {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface ScimAddress {
  type: 'work' | 'home';
  streetAddress: string;
  locality: string;
  region: string;
  postalCode: string;
  country: string;
  primary?: boolean;
}

/** A SCIM core User (RFC 7643 §4.1) with the enterprise extension (§4.3). */
export interface ScimUser {
  schemas: string[];
  id: string;
  externalId: string;
  userName: string;
  name: { givenName: string; familyName: string; middleName: string; formatted: string };
  displayName: string;
  title: string;
  userType: string;
  active: boolean;
  emails: ScimMultiValue[];
  addresses: ScimAddress[];
  phoneNumbers: ScimMultiValue[];
  [ENTERPRISE_USER_SCHEMA]: {
    employeeNumber: string;
    costCenter: string;
    department: string;
    organization: string;
  };
}

/** A SCIM server under test; `url` is the SCIM base (…/scim/v2), not the bare origin as in TestServer. */
export interface ScimProvider<User = unknown> extends TestServer {
  /** The live user store: change it between requests to change what the server lists. */
  users: User[];
}

export interface ScimProviderControls {
  /** Every /Users page answers this much later (a slow provider). */
  delayPages(ms: number): void;
  /** From this startIndex on, /Users answers 500 (the provider dies mid-listing); null heals it. */
  failFrom(startIndex: number | null): void;
}

// ---------------------------------------------------------------------------------------------------------
// Users

const GIVEN = ['Amara', 'Bastian', 'Chiara', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hiroshi', 'Ines', 'Jonas'];
const MIDDLE = ['Rose', 'James', 'Marie', 'Lee', 'Ann', 'Paul', 'Grace'];
const FAMILY = ['Okafor', 'Müller', 'Rossi', 'Ivanov', 'Yılmaz', 'Haddad', 'Lindqvist', 'Tanaka', 'García'];
const TITLES = ['Software Engineer', 'Account Manager', 'Payroll Specialist', 'Site Reliability Engineer'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Operations', 'People'];
const CITIES = [
  { locality: 'Amsterdam', region: 'North Holland', postalCode: '1017 CE', country: 'NL' },
  { locality: 'Lyon', region: 'Auvergne-Rhône-Alpes', postalCode: '69002', country: 'FR' },
  { locality: 'Austin', region: 'TX', postalCode: '78701', country: 'US' },
];

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;
/** ASCII local parts: real directories transliterate names like Müller in addresses. */
const ascii = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/** The email layouts real directories produce, so an import cannot get away with "the first one". */
function emailsFor(n: number, local: string): ScimMultiValue[] {
  const work = `${local}@acme.example`;
  const home = `${local.replace('.', '_')}@mail.example`;
  switch ((n - 1) % 4) {
    case 0: // textbook: the primary work address first
      return [
        { value: work, type: 'work', primary: true },
        { value: home, type: 'home' },
      ];
    case 1: // the primary one second, and it is not the work one
      return [
        { value: work, type: 'work' },
        { value: home, type: 'home', primary: true },
      ];
    case 2: // no primary flag at all: the work one is not first
      return [
        { value: home, type: 'home' },
        { value: work, type: 'work' },
      ];
    default: // a home address only
      return [{ value: home, type: 'home' }];
  }
}

/** Every third user has a second work address and a second mobile: SCIM lets a type repeat. */
const hasSecondOfType = (n: number) => n % 3 === 0;

function addressesFor(n: number): ScimAddress[] {
  const office = pick(CITIES, n);
  const home = pick(CITIES, n + 1);
  const satellite = pick(CITIES, n + 2);
  return [
    { type: 'work', streetAddress: `${100 + (n % 50)} Market Street`, ...office, primary: true },
    { type: 'home', streetAddress: `${n % 90} Linden Lane, Apt ${1 + (n % 12)}`, ...home },
    ...(hasSecondOfType(n) ? [{ type: 'work' as const, streetAddress: '1 Harbour Road', ...satellite }] : []),
  ];
}

/** The work phone is the primary one, except where a second mobile, listed last, is. */
function phoneNumbersFor(n: number): ScimMultiValue[] {
  const digits = String(n).padStart(4, '0');
  const second = hasSecondOfType(n);
  return [
    { value: `+1 512 555 ${digits}`, type: 'work', ...(second ? {} : { primary: true }) },
    { value: `+31 20 555 ${digits}`, type: 'home' },
    { value: `+33 6 55 50 ${digits}`, type: 'mobile' },
    ...(second ? [{ value: `+49 151 555 ${digits}`, type: 'mobile', primary: true }] : []),
  ];
}

/** What a mapping by type reads where types repeat: the primary entry of a type, else its first. */
function preferredOfEachType<Entry extends { type?: string; primary?: boolean }>(entries: Entry[]): Entry[] {
  const chosen = (type?: string) =>
    entries.find((e) => e.type === type && e.primary) ?? entries.find((e) => e.type === type);
  return entries.filter((entry) => chosen(entry.type) === entry);
}

function scimUser(n: number, prefix: string, active: boolean): ScimUser {
  const [givenName, middleName, familyName] = [pick(GIVEN, n), pick(MIDDLE, n), pick(FAMILY, n * 7)];
  const number = String(n).padStart(4, '0');
  const local = `${ascii(givenName)}.${ascii(familyName)}${number}`;
  return {
    schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    id: `${prefix}-${number}`,
    externalId: `ext-${number}`,
    userName: `${ascii(givenName)[0]}${ascii(familyName)}${number}`,
    name: { givenName, familyName, middleName, formatted: `${givenName} ${middleName} ${familyName}` },
    displayName: `${givenName} ${familyName}`,
    title: pick(TITLES, n),
    userType: n % 5 === 0 ? 'Contractor' : 'Employee',
    active,
    emails: emailsFor(n, local),
    addresses: addressesFor(n),
    phoneNumbers: phoneNumbersFor(n),
    [ENTERPRISE_USER_SCHEMA]: {
      employeeNumber: String(70000 + n),
      costCenter: `CC-${400 + (n % 7)}`,
      department: pick(DEPARTMENTS, n),
      organization: 'Acme Corp',
    },
  };
}

/** `count` realistic SCIM users with ids `<prefix>-0001`…; every `inactiveEvery`-th one is inactive. */
export function scimUsers(
  count: number,
  options: { inactiveEvery?: number; prefix?: string } = {},
): ScimUser[] {
  const { inactiveEvery, prefix = 'scim' } = options;
  return Array.from({ length: count }, (_, i) =>
    scimUser(i + 1, prefix, !(inactiveEvery && (i + 1) % inactiveEvery === 0)),
  );
}

/** The email an import should pick: the primary one, else the work one, else the first. */
export function expectedScimEmail(user: Pick<ScimUser, 'emails'>): string | undefined {
  const { emails } = user;
  return (emails.find((email) => email.primary) ?? emails.find((email) => email.type === 'work') ?? emails[0])
    ?.value;
}

/** The directory attributes the SCIM standard mapping must give `user`, worked out by hand. */
export function expectedScimAttributes(user: ScimUser) {
  const enterprise = user[ENTERPRISE_USER_SCHEMA];
  return {
    email: expectedScimEmail(user),
    username: user.userName,
    firstname: user.name.givenName,
    lastname: user.name.familyName,
    middlename: user.name.middleName,
    displayname: user.displayName,
    jobTitle: user.title,
    employeeType: user.userType,
    employeeIdentifier: enterprise.employeeNumber,
    costCenter: enterprise.costCenter,
    department: enterprise.department,
    organization: enterprise.organization,
    addresses: preferredOfEachType(user.addresses).map(({ primary: _primary, ...address }) => address),
    phoneNumbers: preferredOfEachType(user.phoneNumbers).map(({ type, value }) => ({ type, number: value })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// A real SCIM server: scimmy + scimmy-routers on express

interface ScimmyContext {
  users: ScimUser[];
}

function usersOf(context: unknown): ScimUser[] {
  if (typeof context === 'object' && context !== null && 'users' in context && Array.isArray(context.users))
    return (context as ScimmyContext).users;
  throw new SCIMMY.Types.Error(500, '', 'No user store in the request context');
}

function readUsers(resource: SCIMMY.Resources.User, users: ScimUser[]): ScimUser[] {
  const matches: ScimUser[] = resource.filter ? resource.filter.match(users) : [...users];
  // scimmy answers an unknown id with a 500 ("empty value returned by egress") unless we say 404.
  if (resource.id && matches.length === 0)
    throw new SCIMMY.Types.Error(404, '', `Resource ${resource.id} not found`);
  const { constraints } = resource;
  // ListResponse pages the full list itself, but only slices when startIndex is within it: past the end it
  // would answer the first page again. read() hands `constraints` to ListResponse, which takes totalResults.
  if (constraints && (constraints.startIndex ?? 1) > matches.length) {
    Object.assign(constraints, { totalResults: matches.length });
    return [];
  }
  return matches;
}

function writeUser(resource: SCIMMY.Resources.User, instance: unknown, users: ScimUser[]): ScimUser {
  const user = JSON.parse(JSON.stringify(instance)) as ScimUser;
  if (users.some((other) => other.userName === user.userName && other.id !== resource.id))
    throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${user.userName} is taken`);
  if (!resource.id) {
    users.push({ ...user, id: `scim-${randomUUID()}` });
    return users.at(-1) as ScimUser;
  }
  const index = users.findIndex((other) => other.id === resource.id);
  if (index < 0) throw new SCIMMY.Types.Error(404, '', `Resource ${resource.id} not found`);
  users[index] = { ...user, id: resource.id };
  return users[index];
}

function disposeUser(resource: SCIMMY.Resources.User, users: ScimUser[]): void {
  const index = users.findIndex((user) => user.id === resource.id);
  if (index < 0) throw new SCIMMY.Types.Error(404, '', `Resource ${resource.id} not found`);
  users.splice(index, 1);
}

/** scimmy keeps declarations and handlers module-global: declare once, and let handlers find each server's store in ctx. */
function declareScimmyUsers(): void {
  if (SCIMMY.Resources.declared(SCIMMY.Resources.User)) return;
  SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser))
    .egress((resource, ctx) => readUsers(resource, usersOf(ctx)))
    .ingress((resource, instance, ctx) => writeUser(resource, instance, usersOf(ctx)))
    .degress((resource, ctx) => disposeUser(resource, usersOf(ctx)));
}

/**
 * Express 5 re-parses req.query on every access, so scimmy-routers' in-place cast of startIndex and count to
 * numbers is lost and scimmy silently ignores paging. Casting in the query parser itself survives.
 */
function parseScimQuery(search: string): Record<string, string | number> {
  const query: Record<string, string | number> = Object.fromEntries(new URLSearchParams(search));
  for (const key of ['startIndex', 'count']) {
    const value = query[key];
    if (typeof value === 'string' && /^-?\d+$/.test(value)) query[key] = Number(value);
  }
  return query;
}

/** A real SCIM 2.0 server (scimmy) with Users + EnterpriseUser at `${url}/Users`, seeded with `users`. */
export async function startScimmyProvider(options: {
  users: ScimUser[];
  token: string;
}): Promise<ScimProvider<ScimUser>> {
  declareScimmyUsers();
  const users = options.users;
  const requests: TestServer['requests'] = [];
  let origin = '';
  const app = express();
  app.set('query parser', parseScimQuery);
  app.use((req, _res, next) => {
    requests.push({ url: new URL(req.originalUrl, origin), headers: req.headers });
    next();
  });
  const router = new SCIMMYRouters({
    type: 'bearer',
    handler: (req) => {
      // A throw here becomes a 401 with a SCIM error body carrying the message.
      if (req.headers.authorization !== `Bearer ${options.token}`) throw new Error('Invalid bearer token');
      return 'scim-client';
    },
    context: (): ScimmyContext => ({ users }),
  });
  app.use(SCIM_BASE_PATH, router);
  // scimmy-routers answers 5xx itself, then passes the error on; express' final handler would kill the socket.
  app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (!res.headersSent) res.status(500).end();
  });

  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${SCIM_BASE_PATH}`,
    requests,
    users,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// A SCIM provider of ours, to reproduce what real-world servers get wrong

export interface ScimProviderOptions {
  /** The provider's users; the array may be changed between requests. */
  users: unknown[];
  /** Requires `Authorization: Bearer <token>` when set. */
  token?: string;
  /** The response echoes startIndex minus 1 (the paging itself is right). */
  echoZeroBasedStartIndex?: boolean;
  omitTotalResults?: boolean;
  /** totalResults is the number of Resources in the page rather than of all matches. */
  totalResultsIsPageSize?: boolean;
  /** itemsPerPage is always 7. */
  wrongItemsPerPage?: boolean;
  /** Answers every user from startIndex on in one page. */
  ignoreCount?: boolean;
  /** Never more than this many users per page, whatever count asks (a service's maxResults). */
  maxResults?: number;
  /** Each page after the first starts one user early, so consecutive pages overlap by one user. */
  overlapPages?: boolean;
  /** `active` and emails[].primary as "True"/"False". */
  stringBooleans?: boolean;
  /** `active` as 1/0. */
  numericActive?: boolean;
  /** GET /ServiceProviderConfig answers this error status (404, 403, 405…): the service lacks it. */
  serviceProviderConfigStatus?: number;
  /** Any filter answers 400 invalidFilter (otherwise only `userName eq "…"` is supported). */
  rejectFilter?: boolean;
}

type ScimAnswer = [status: number, body: unknown];

const DEFAULT_COUNT = 100;

const scimError = (status: number, detail: string, scimType?: string): ScimAnswer => [
  status,
  { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail },
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function integerParam(url: URL, name: string, fallback: number): number {
  const value = Number.parseInt(url.searchParams.get(name) ?? '', 10);
  return Number.isNaN(value) ? fallback : value;
}

/** `userName eq "value"` only; attribute and value compare case-insensitively (userName is not caseExact). */
function filterByUserName(users: unknown[], filter: string): unknown[] | null {
  const match = /^\s*userName\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i.exec(filter);
  if (!match?.[1]) return null;
  let wanted: string;
  try {
    wanted = String(JSON.parse(match[1])).toLowerCase();
  } catch {
    return null;
  }
  return users.filter(
    (user) => isRecord(user) && typeof user.userName === 'string' && user.userName.toLowerCase() === wanted,
  );
}

const pythonBoolean = (value: boolean): string => (value ? 'True' : 'False');

/** How a sloppy server serialises booleans. */
function present(user: unknown, options: ScimProviderOptions): unknown {
  if (!isRecord(user)) return user;
  const out = { ...user };
  if (typeof user.active === 'boolean' && options.numericActive) out.active = Number(user.active);
  else if (typeof user.active === 'boolean' && options.stringBooleans)
    out.active = pythonBoolean(user.active);
  if (options.stringBooleans && Array.isArray(user.emails))
    out.emails = user.emails.map((email: unknown) =>
      isRecord(email) && typeof email.primary === 'boolean'
        ? { ...email, primary: pythonBoolean(email.primary) }
        : email,
    );
  return out;
}

function listResponse(matches: unknown[], url: URL, options: ScimProviderOptions): ScimAnswer {
  const startIndex = Math.max(integerParam(url, 'startIndex', 1), 1);
  const count = Math.min(
    Math.max(integerParam(url, 'count', DEFAULT_COUNT), 0),
    options.maxResults ?? Infinity,
  );
  const from = options.overlapPages && startIndex > 1 ? startIndex - 2 : startIndex - 1;
  const page = matches.slice(from, options.ignoreCount ? undefined : from + count);
  const totalResults = options.totalResultsIsPageSize ? page.length : matches.length;
  return [
    200,
    {
      schemas: [LIST_RESPONSE_SCHEMA],
      ...(options.omitTotalResults ? {} : { totalResults }),
      startIndex: options.echoZeroBasedStartIndex ? startIndex - 1 : startIndex,
      itemsPerPage: options.wrongItemsPerPage ? 7 : page.length,
      Resources: page.map((user) => present(user, options)),
    },
  ];
}

function listUsers(url: URL, options: ScimProviderOptions, failFromIndex: number | null): ScimAnswer {
  if (failFromIndex !== null && integerParam(url, 'startIndex', 1) >= failFromIndex)
    return scimError(500, 'The directory backend is unavailable');
  const filter = url.searchParams.get('filter');
  if (filter === null) return listResponse(options.users, url, options);
  const matches = options.rejectFilter ? null : filterByUserName(options.users, filter);
  if (!matches) return scimError(400, `Filter is not supported: ${filter}`, 'invalidFilter');
  return listResponse(matches, url, options);
}

function serviceProviderConfig(options: ScimProviderOptions): ScimAnswer {
  if (options.serviceProviderConfigStatus)
    return scimError(options.serviceProviderConfigStatus, 'No such endpoint here');
  return [
    200,
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: false },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: !options.rejectFilter, maxResults: options.maxResults ?? DEFAULT_COUNT },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: options.token
        ? [
            {
              type: 'oauthbearertoken',
              name: 'OAuth Bearer Token',
              description: 'Bearer token in Authorization',
            },
          ]
        : [],
      meta: { resourceType: 'ServiceProviderConfig', location: `${SCIM_BASE_PATH}/ServiceProviderConfig` },
    },
  ];
}

function answerScim(
  url: URL,
  headers: IncomingHttpHeaders,
  options: ScimProviderOptions,
  failFromIndex: number | null,
): ScimAnswer {
  if (options.token !== undefined && headers.authorization !== `Bearer ${options.token}`)
    return scimError(401, 'Missing or invalid bearer token');
  const path = url.pathname.replace(/\/$/, '');
  if (path === `${SCIM_BASE_PATH}/ServiceProviderConfig`) return serviceProviderConfig(options);
  if (path === `${SCIM_BASE_PATH}/Users`) return listUsers(url, options, failFromIndex);
  return scimError(404, `Endpoint not found: ${url.pathname}`);
}

/** A small SCIM server of ours on a real HTTP server (GET /Users and /ServiceProviderConfig), scriptably wrong. */
export async function startScimProvider(
  options: ScimProviderOptions,
): Promise<ScimProvider & ScimProviderControls> {
  let failFromIndex: number | null = null;
  let pageDelayMs = 0;
  const server = await startTestServer(async ({ url, headers }, response) => {
    if (pageDelayMs > 0 && url.pathname.startsWith(`${SCIM_BASE_PATH}/Users`))
      await new Promise((resolve) => setTimeout(resolve, pageDelayMs));
    const [status, body] = answerScim(url, headers, options, failFromIndex);
    sendJson(response, status, body, SCIM_CONTENT_TYPE);
  });
  return Object.assign(server, {
    url: `${server.url}${SCIM_BASE_PATH}`,
    users: options.users,
    failFrom(startIndex: number | null) {
      failFromIndex = startIndex;
    },
    delayPages(ms: number) {
      pageDelayMs = ms;
    },
  });
}
