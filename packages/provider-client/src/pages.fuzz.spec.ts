import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors.js';
import type { ProviderResponse } from './http.js';
import { FIRST_PAGE, readUserPage, type ListUsersConfig, type UserPage } from './pages.js';
import { readScimUserPage, type ScimListRequest } from './scim.js';

/**
 * Property tests over whatever a provider may answer to one page request: the page's users and a
 * usable total, or a ProviderError an admin can read, never another error (that one would fail an
 * import as "unexpected") and never a message that quotes a 20 MB body.
 * FUZZ_SEED=<n> replays a run; otherwise the seed is random and fast-check prints it on failure.
 */
const seed = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };
const runs = (numRuns: number) => ({ numRuns, ...seed });

/** A few KB: what an admin reads in a job's error or a connection test. */
const MAX_MESSAGE = 4 * 1024;
/** The HTTP policy's size cap: the largest body a page can have. */
const TWENTY_MB = 20 * 1024 * 1024;
let huge: string | undefined;
/** Made once, on first use: 20 MB of text. */
const hugeText = () => (huge ??= 'x'.repeat(TWENTY_MB - 16));

// ---- Answers ------------------------------------------------------------------------------------

const oddUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('\u200B', '\u202E', '\uFEFF', '👩‍💻', '{', '[', '"', '\\', ','),
);
const oddText = fc.string({ unit: oddUnit, maxLength: 40 });
/** 1 to 1000 levels of arrays or objects. */
const deeplyNested = fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.boolean()).map(([depth, asArray]) => {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { value };
  return value;
});
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
  { arbitrary: deeplyNested, weight: 1 },
  { arbitrary: oddText, weight: 1 },
);
const users = fc.array(
  fc.oneof(fc.record({ id: fc.oneof(fc.nat(), oddText), email: oddText }, { requiredKeys: [] }), anyJson),
  { maxLength: 5 },
);
/** A total as providers give it: a count, numeric text, or anything else. */
const totalValue = fc.oneof(
  fc.nat(),
  fc.nat().map(String),
  fc.integer(),
  fc.double(),
  fc.constantFrom(' 7 ', '1e3', '-1', '0x10', 'NaN', 'Infinity', '', '12abc', 1e21, -0),
  anyJson,
);
const status = fc.oneof(
  { arbitrary: fc.constant(200), weight: 6 },
  { arbitrary: fc.constantFrom(201, 204, 299), weight: 1 },
  { arbitrary: fc.integer({ min: 100, max: 599 }), weight: 3 },
);
const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/scim+json'), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/problem+json',
      'application/jsonx',
      'application/x-json',
      'text/html',
      'text/plain',
      '',
    ),
    weight: 2,
  },
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: oddText, weight: 1 },
);

/** `value` at a dotted location, as a provider puts its users ('.' is the root). */
function nest(location: string, value: unknown): unknown {
  if (location === '.' || location === '' || location === '$') return value;
  const keys = location.replace(/^\$\.?/, '').split('.');
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** Merges two nested objects (the users and the total may share a parent). */
function merge(a: unknown, b: unknown): unknown {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a))
    return a;
  const merged: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [key, value] of Object.entries(b as Record<string, unknown>))
    merged[key] = key in merged ? merge(merged[key], value) : value;
  return merged;
}

/** The body's text: usually the JSON, sometimes cut short, garbled or 20 MB long. */
const bodyText = (json: unknown) =>
  fc.oneof(
    { arbitrary: fc.constant(JSON.stringify(json) ?? 'null'), weight: 60 },
    {
      arbitrary: fc.nat().map((cut) => {
        const text = JSON.stringify(json) ?? '';
        return text.slice(0, cut % (text.length + 1));
      }),
      weight: 10,
    },
    { arbitrary: oddText, weight: 5 },
    {
      arbitrary: fc.constantFrom(
        () => hugeText(),
        () => `"${hugeText()}"`,
        () => `["${hugeText()}"]`,
        () => `{"data":{"users":"${hugeText()}"}}`,
        () => `{"Resources":"${hugeText()}"}`,
      ),
      weight: 1,
    },
  );

interface Sample<Request> {
  request: Request;
  response: ProviderResponse;
  /** The users a well-formed 2xx JSON page carries, which must be read as they are. */
  expected: unknown[] | null;
}

const isJsonType = (type: string | undefined) => /^application\/([\w.+-]+\+)?json\b/i.test(type ?? '');
const isOk = (code: number) => code >= 200 && code <= 299;

const BASE: ListUsersConfig = {
  baseUrl: 'https://hr.example.com',
  path: '/employees',
  resourceLocation: '.',
  totalCountSource: 'NONE',
  limitParam: 'limit',
  offsetParam: 'offset',
  pageSize: 100,
};
const restConfig: fc.Arbitrary<ListUsersConfig> = fc
  .record({
    resourceLocation: fc.constantFrom(
      '.',
      '$',
      'users',
      'data.users',
      '$.data.users',
      'data..users',
      '__proto__',
    ),
    totalCountSource: fc.constantFrom('HEADER', 'BODY', 'NONE'),
    totalCountLocation: fc.constantFrom(
      'X-Total-Count',
      'meta.total',
      '$.meta.total',
      'total',
      '$..total',
      null,
    ),
  })
  .map((config) => ({ ...BASE, ...config }));
const header = fc.oneof(
  fc.constant(undefined),
  fc.nat().map(String),
  oddText,
  fc.array(fc.oneof(fc.nat().map(String), oddText), { maxLength: 3 }),
);

const restSample: fc.Arbitrary<Sample<ListUsersConfig>> = fc
  .tuple(restConfig, fc.oneof({ arbitrary: users, weight: 6 }, { arbitrary: anyJson, weight: 1 }), totalValue)
  .chain(([config, resources, total]) => {
    const body = merge(
      nest(config.resourceLocation, resources),
      config.totalCountSource === 'BODY' ? nest(config.totalCountLocation ?? 'total', total) : {},
    );
    return fc.record({
      request: fc.constant(config),
      json: fc.constant(JSON.stringify(body)),
      text: bodyText(body),
      status,
      contentType,
      header,
      wellFormed: fc.constant(Array.isArray(resources) ? resources : null),
    });
  })
  .map(({ request, json, text, status, contentType, header, wellFormed }) => {
    const body = typeof text === 'function' ? text() : text;
    const response: ProviderResponse = {
      status,
      url: 'https://hr.example.com/employees?limit=100&offset=0',
      headers: header === undefined ? {} : { 'x-total-count': header },
      contentType,
      body,
      attempts: 1,
    };
    // The body as generated, answered as JSON, carries the users at a plain location.
    const readable =
      wellFormed !== null &&
      body === json &&
      isOk(status) &&
      isJsonType(contentType) &&
      /^(\.|\$|(\$\.)?[a-z]+(\.[a-z]+)*)$/.test(request.resourceLocation);
    return {
      request,
      response,
      expected: readable ? (JSON.parse(JSON.stringify(wellFormed)) as unknown[]) : null,
    };
  });

const listResponse = (resources: unknown, total: unknown, keys: string[]) => {
  const all: Record<string, unknown> = {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: total,
    Resources: resources,
    resources,
    startIndex: 0,
    itemsPerPage: 'ten',
  };
  return Object.fromEntries(Object.entries(all).filter(([key]) => keys.includes(key)));
};
/** A SCIM error (RFC 7644 §3.12) with a short detail: a long one is known bug 2 below. */
const scimError = fc.record(
  {
    status: fc.constantFrom('400', 400),
    scimType: fc.constantFrom('invalidFilter', 'tooMany'),
    detail: oddText,
  },
  { requiredKeys: [] },
);

const scimSample: fc.Arbitrary<Sample<ScimListRequest>> = fc
  .tuple(
    fc.record({
      baseUrl: fc.constant('https://app.example.com/scim/v2'),
      offset: fc.nat(10_000),
      count: fc.integer({ min: 1, max: 1000 }),
    }),
    fc.oneof({ arbitrary: users, weight: 6 }, { arbitrary: anyJson, weight: 1 }),
    totalValue,
    fc.subarray(['schemas', 'totalResults', 'Resources', 'resources', 'startIndex', 'itemsPerPage']),
    fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: scimError, weight: 2 }),
  )
  .chain(([request, resources, total, keys, error]) => {
    const body = error ?? listResponse(resources, total, keys);
    return fc.record({
      request: fc.constant(request),
      json: fc.constant(JSON.stringify(body)),
      text: bodyText(body),
      status: error ? fc.integer({ min: 400, max: 599 }) : status,
      contentType,
      wellFormed: fc.constant(
        !error && Array.isArray(resources) && (keys.includes('Resources') || keys.includes('resources'))
          ? resources
          : null,
      ),
    });
  })
  .map(({ request, json, text, status, contentType, wellFormed }) => {
    const body = typeof text === 'function' ? text() : text;
    const response: ProviderResponse = {
      status,
      url: `https://app.example.com/scim/v2/Users?startIndex=${request.offset + 1}&count=${request.count}`,
      headers: {},
      contentType,
      body,
      attempts: 1,
    };
    const readable = wellFormed !== null && body === json && isOk(status) && isJsonType(contentType);
    return {
      request,
      response,
      expected: readable ? (JSON.parse(JSON.stringify(wellFormed)) as unknown[]) : null,
    };
  });

// ---- What must hold -----------------------------------------------------------------------------

/** What is wrong with the outcome of reading one answer, in words; empty when nothing is. */
function problemsOf(read: () => UserPage, expected: unknown[] | null): string[] {
  let page: UserPage;
  try {
    page = read();
  } catch (error) {
    if (!(error instanceof ProviderError)) return [`threw ${String(error)}, not a ProviderError`];
    const problems: string[] = [];
    if (error.code !== 'PROVIDER_ERROR') problems.push(`code ${error.code}`);
    if (error.message.trim() === '') problems.push('an empty message');
    if (error.message.length > MAX_MESSAGE) problems.push(`a message of ${error.message.length} characters`);
    if (expected !== null) problems.push(`a well-formed page refused: ${error.message.slice(0, 300)}`);
    return problems;
  }
  const problems: string[] = [];
  if (!Array.isArray(page.users)) problems.push('users is not an array');
  if (page.total !== null && !(Number.isInteger(page.total) && page.total >= 0))
    problems.push(`total ${page.total}`);
  for (const warning of page.warnings) {
    if (typeof warning !== 'string' || warning.trim() === '' || warning.length > MAX_MESSAGE)
      problems.push(`warning ${String(warning).slice(0, 100)}`);
  }
  if (expected !== null) {
    try {
      expect(page.users).toEqual(expected);
    } catch {
      problems.push('the users read differ from the users sent');
    }
  }
  return problems;
}

/** A page of a provider paging by cursor or next URL, with hostile cursors, URLs and Link headers. */
const nextSample = fc
  .record({
    pagination: fc.constantFrom('CURSOR' as const, 'NEXT_URL' as const),
    bodyPath: fc.constantFrom('meta.next', 'next', '$.links[0].href', null),
    next: fc.oneof(
      anyJson,
      oddText,
      fc.constantFrom(
        '/employees?page=2',
        '//evil.example/x',
        'https://hr.example.com:8443/employees',
        'javascript:alert(1)',
        'https://hr.example.com/employees?cursor=a b',
        'HTTPS://HR.EXAMPLE.COM/employees',
      ),
    ),
    link: fc.oneof(
      fc.constant(undefined),
      oddText,
      fc.constantFrom(
        '</employees?page=2>; rel="next"',
        '<https://evil.example/e>; rel=next',
        '<>; rel="next"',
        '<https://hr.example.com/e>; rel="next", <https://hr.example.com/e>; rel="next"',
        'rel="next"',
        '<',
      ),
    ),
    count: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ pagination, bodyPath, next, link, count }) => {
    const config: ListUsersConfig = {
      ...BASE,
      resourceLocation: 'data',
      pageSize: 2,
      pagination,
      offsetParam: pagination === 'CURSOR' ? 'cursor' : null,
      cursorPath: bodyPath ?? 'meta.next',
      nextUrlPath: bodyPath,
    };
    const body = {
      data: Array.from({ length: count }, (_, i) => ({ id: i })),
      meta: { next },
      next,
      links: [{ href: next }],
    };
    const response: ProviderResponse = {
      status: 200,
      url: 'https://hr.example.com/employees?limit=2',
      headers: link === undefined ? {} : { link },
      contentType: 'application/json',
      body: JSON.stringify(body),
      attempts: 1,
    };
    return { config, response };
  });

describe('reading hostile answers', () => {
  it('readUserPage finds a usable next cursor or same-origin URL, or fails with a short ProviderError (3,000 answers)', () => {
    fc.assert(
      fc.property(nextSample, ({ config, response }) => {
        const problems = problemsOf(() => {
          const page = readUserPage(config, response, FIRST_PAGE);
          if (page.next !== null && typeof page.next !== 'string')
            throw new TypeError(`next ${String(page.next)}`);
          if (page.next !== null && config.pagination === 'NEXT_URL') {
            const url = new URL(page.next);
            if (url.origin !== 'https://hr.example.com') throw new TypeError(`next on ${url.origin}`);
          }
          return page;
        }, null);
        expect(problems).toEqual([]);
      }),
      runs(3_000),
    );
  });

  it('readUserPage answers the users and a usable total, or a short ProviderError (3,000 answers)', () => {
    fc.assert(
      fc.property(restSample, ({ request, response, expected }) => {
        const problems = problemsOf(() => readUserPage(request, response, 0), expected);
        expect(problems).toEqual([]);
      }),
      runs(3_000),
    );
  });

  it('readScimUserPage answers the users and a usable total, or a short ProviderError (3,000 answers)', () => {
    fc.assert(
      fc.property(scimSample, ({ request, response, expected }) => {
        const problems = problemsOf(() => readScimUserPage(response, request), expected);
        expect(problems).toEqual([]);
      }),
      runs(3_000),
    );
  });
});

describe('found by fuzzing, kept as regressions', () => {
  const answer = (body: string, code = 200): ProviderResponse => ({
    status: code,
    url: 'https://app.example.com/scim/v2/Users?startIndex=1&count=100',
    headers: {},
    contentType: 'application/json',
    body,
    attempts: 1,
  });
  const scimRequest: ScimListRequest = { baseUrl: 'https://app.example.com/scim/v2', offset: 0, count: 100 };
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('a body nested 20,000 levels where users belong is a ProviderError, not a RangeError', () => {
    expect(problemsOf(() => readUserPage(BASE, answer(nested(20_000)), 0), null)).toEqual([]);
    expect(problemsOf(() => readScimUserPage(answer(`[${nested(20_000)}]`), scimRequest), null)).toEqual([]);
  });

  it('a SCIM error with a 20 MB detail gives a message of a few KB', () => {
    const body = JSON.stringify({ status: '400', detail: hugeText() });
    expect(problemsOf(() => readScimUserPage(answer(body, 400), scimRequest), null)).toEqual([]);
  });

  it('a body total behind a filter skips a null entry instead of throwing', () => {
    const config: ListUsersConfig = {
      ...BASE,
      resourceLocation: 'data',
      totalCountSource: 'BODY',
      totalCountLocation: "$.meta[?(@.name=='total')].value",
    };
    const body = JSON.stringify({ data: [], meta: [null, { name: 'total', value: 3 }] });
    expect(problemsOf(() => readUserPage(config, answer(body), 0), null)).toEqual([]);
  });
});
