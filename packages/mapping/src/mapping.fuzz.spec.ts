import { attributeFingerprint, userAttributesSchema, userChangeSchema } from '@uif/directory-client';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_EXTERNAL_ID, type AttributeMapping, type MappedUser } from './attribute-mapping.js';
import { mapProviderUser } from './mapping.js';
import { MappingTransforms } from './mapping-transforms.js';
import { SCIM_ENTERPRISE_USER, SCIM_STANDARD_MAPPING } from './scim-mapping.js';
import { jsonPathProblem, pathAlternatives } from './source-path.js';
import { transformProblem } from './transform.js';

/**
 * Property tests over hostile provider pages: whatever a provider sends, mapping answers a user the
 * directory accepts or the reasons it cannot, and never throws (one throw stops a whole import).
 * FUZZ_SEED=<n> replays a run; otherwise the seed is random and fast-check prints it on failure.
 */
const seed = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };
const runs = (numRuns: number) => ({ numRuns, ...seed });

// The mappings imports really use: EMPLOYEE_MAPPING (packages/testing/src/hr-employees.ts) with the
// connector's defaults, and the SCIM standard mapping.
const HR_MAPPING: AttributeMapping = {
  entries: [
    { target: 'EMAIL', sourcePath: '$.email' },
    { target: 'USERNAME', sourcePath: '$.login' },
    { target: 'FIRSTNAME', sourcePath: '$.first' },
    { target: 'LASTNAME', sourcePath: '$.last' },
    { target: 'DEPARTMENT', sourcePath: '$.department' },
  ],
  externalIdPath: '$.id',
  statusPath: '$.status',
  inactiveStatuses: ['Leave', 'Inactive'],
  activeStatuses: ['Onboarding', 'Active'],
};

const SCIM_MAPPING = SCIM_STANDARD_MAPPING;

// ---- Hostile values ----------------------------------------------------------------------------

const HUGE = 100 * 1024;

/** Text that has broken importers: number look-alikes, bidi and zero-width marks, lone surrogates… */
const nastyText = fc.constantFrom(
  '',
  ' ',
  '\t\n ',
  'null',
  'undefined',
  'NaN',
  '-NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1F',
  '١٢٣',
  '\uD800',
  'a\uDFFF',
  '\u202Eevil\u202C',
  '\u200F\u05E9\u05DC\u05D5\u05DD',
  '\u200B',
  '\u200Bada\u200D',
  '\uFEFF',
  '\u0000',
  '👩‍💻',
  '🇫🇷',
  'e\u0301',
  'İı',
  'ß',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '${7*7}',
  '$.email',
  '@',
  'a@b',
  'A@B.IO',
  ' ada@example.com ',
  'ada@example.com\u200B',
  'ädä@exämple.com',
  'ada@example.com\u0000',
);
const oddUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('\u200B', '\u200D', '\u202E', '\u200F', '\uFEFF', '👩‍💻', '\u0301', ' ', '@', '.', '$'),
);
const unicodeText = fc.string({ unit: oddUnit, maxLength: 40 });
/** Just over a column's limit up to 100 KB, in one-, two- and four-byte characters. */
const hugeText = fc
  .tuple(
    fc.constantFrom('a', 'é', '👩‍💻', ' ', '\uD800', 'x@y.io.'),
    fc.oneof(fc.constantFrom(255, 256), fc.integer({ min: 257, max: HUGE })),
  )
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
const oddNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 1e21, Number.MAX_SAFE_INTEGER + 2, -1, 0.1 + 0.2),
);
const scalar = fc.oneof(fc.constant(null), fc.boolean(), oddNumber, nastyText, unicodeText);
/** 1 to 1000 levels of objects or arrays around a scalar. */
const deeplyNested = fc
  .tuple(fc.oneof(fc.constant(1000), fc.integer({ min: 2, max: 1000 })), fc.boolean(), scalar)
  .map(([depth, asArray, leaf]) => {
    let value: unknown = leaf;
    for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { value };
    return value;
  });
/** Anything a field may hold instead of what the mapping expects. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalar, weight: 6 },
  { arbitrary: hugeText, weight: 1 },
  { arbitrary: fc.array(scalar, { maxLength: 4 }), weight: 2 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 4 }), weight: 1 },
  { arbitrary: deeplyNested, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);

/** Left out of the user altogether (JSON.stringify drops a symbol-valued key, nested ones too). */
const MISSING = Symbol('missing');
/** Usually the right kind of value, sometimes a hostile one, sometimes absent. */
const field = (good: fc.Arbitrary<unknown>, goodWeight = 6): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: good, weight: goodWeight },
    { arbitrary: hostile, weight: 2 },
    { arbitrary: fc.constant(MISSING), weight: 1 },
  );
/** A SCIM user has some 25 mapped values: each is hostile less often, or hardly one would import. */
const scimField = (good: fc.Arbitrary<unknown>) => field(good, 30);

const n = fc.integer({ min: 1, max: 12 });
/** Few distinct people, in mixed case: pages repeat ids and emails that differ only in case. */
const goodEmail = fc
  .tuple(n, fc.constantFrom('worker', 'Worker', 'WORKER'), fc.constantFrom('acme.example', 'Acme.Example'))
  .map(([i, name, domain]) => `${name}${i}@${domain}`);
const goodLogin = n.map((i) => `worker${i}`);
const goodName = fc.oneof(fc.constantFrom('Ada', 'José', 'Zoë', '李', 'Nguyễn'), unicodeText);

type Entries = [string, unknown][];
/** A user as entries, so a key may come twice (`{"id":1,"id":2}`: the last one wins, as in JSON.parse). */
const userEntries = (
  fields: Record<string, fc.Arbitrary<unknown>>,
  valueOf: (good: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown> = field,
): fc.Arbitrary<Entries> =>
  fc
    .tuple(
      fc.record(Object.fromEntries(Object.entries(fields).map(([key, good]) => [key, valueOf(good)]))),
      fc.oneof(
        { arbitrary: fc.constant([]), weight: 4 },
        {
          arbitrary: fc.array(fc.tuple(fc.constantFrom(...Object.keys(fields)), hostile), { maxLength: 2 }),
          weight: 1,
        },
      ),
    )
    .map(([user, duplicates]) => [
      ...Object.entries(user).filter(([, value]) => value !== MISSING),
      ...duplicates,
    ]);

/** The page as a provider's JSON text, parsed as the provider client parses it. */
const asProviderPage = (users: Entries[]): unknown[] => {
  const objects = users.map(
    (entries) =>
      `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`,
  );
  return JSON.parse(`[${objects.join(',')}]`) as unknown[];
};

const hrUser = userEntries({
  id: fc.oneof(fc.integer({ min: 1000, max: 1012 }), fc.constantFrom('1001', ' 1001 ', 'A1', 'a1')),
  email: goodEmail,
  login: goodLogin,
  first: goodName,
  last: goodName,
  department: fc.constantFrom('Ops', 'R&D', 'Sales'),
  status: fc.constantFrom('Active', 'active', ' ACTIVE ', 'Leave', 'Inactive', 'Onboarding', 'Terminated'),
});

const typed = (types: string[], value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    {
      arbitrary: fc.record({ type: scimField(fc.constantFrom(...types)), value: scimField(value) }),
      weight: 4,
    },
    { arbitrary: hostile, weight: 1 },
  );
const scimEmail = fc.oneof(
  {
    arbitrary: fc.record({
      value: scimField(goodEmail),
      primary: scimField(fc.oneof(fc.boolean(), fc.constantFrom('true', 'True', 1, 0))),
      type: scimField(fc.constantFrom('work', 'home', 'other')),
    }),
    weight: 4,
  },
  { arbitrary: hostile, weight: 1 },
);
const scimAddress = fc.oneof(
  {
    arbitrary: fc.record({
      type: scimField(fc.constantFrom('work', 'home')),
      streetAddress: scimField(goodName),
      locality: scimField(goodName),
      region: scimField(goodName),
      postalCode: scimField(fc.constantFrom('10115', 'SW1A 1AA')),
      country: scimField(fc.constantFrom('DE', 'GB')),
    }),
    weight: 4,
  },
  { arbitrary: hostile, weight: 1 },
);
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });
const scimUser = userEntries(
  {
    id: fc.oneof(fc.uuid(), fc.constantFrom('2819c223', '2819C223')),
    userName: goodLogin,
    emails: list(scimEmail),
    name: fc.record({
      givenName: scimField(goodName),
      familyName: scimField(goodName),
      middleName: scimField(goodName),
    }),
    displayName: goodName,
    title: goodName,
    userType: fc.constantFrom('Employee', 'Contractor'),
    active: fc.oneof(fc.boolean(), fc.constantFrom('True', 'false', 1, 0)),
    addresses: list(scimAddress),
    phoneNumbers: list(typed(['work', 'home', 'mobile', 'fax'], fc.constantFrom('+44 7700 900000', '555'))),
    [SCIM_ENTERPRISE_USER]: fc.record({
      employeeNumber: scimField(fc.constantFrom('E1', 'e1', '42')),
      costCenter: scimField(goodName),
      department: scimField(goodName),
      organization: scimField(goodName),
    }),
  },
  scimField,
);

// ---- What must hold for every user -------------------------------------------------------------

/** A UTF-16 surrogate without its pair: UTF-8 (the database) cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const textsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value !== null && typeof value === 'object'
      ? Object.values(value).flatMap(textsIn)
      : [];
const ATTRIBUTE_NAMES = Object.keys(userAttributesSchema.shape);
const fieldName = new RegExp(`^(externalId|${ATTRIBUTE_NAMES.join('|')})[:.]`);
const pathsOf = new WeakMap<AttributeMapping, string[]>();

/** A reason an admin can act on: it says which attribute or which source path is wrong. */
function namesFieldOrPath(reason: string, mapping: AttributeMapping): boolean {
  let paths = pathsOf.get(mapping);
  if (!paths) {
    const all = [
      mapping.externalIdPath,
      mapping.statusPath ?? '',
      ...mapping.entries.map((e) => e.sourcePath),
    ];
    paths = all.flatMap(pathAlternatives).filter((path) => path !== '');
    pathsOf.set(mapping, paths);
  }
  return fieldName.test(reason) || paths.some((path) => reason.includes(path));
}

/** What is wrong with a mapped user, in words; empty when it keeps the contract an import relies on. */
function violations(mapped: MappedUser, mapping: AttributeMapping): string[] {
  const wrong: string[] = [];
  if (!['active', 'inactive', 'unknown'].includes(mapped.statusClass))
    wrong.push(`statusClass ${mapped.statusClass}`);
  if (mapping.statusPath !== null && mapped.status === null && mapped.statusClass !== 'unknown')
    wrong.push(`no status, yet ${mapped.statusClass}`);
  if (!Array.isArray(mapped.errors)) return [...wrong, 'errors is not a list'];
  if (mapped.errors.length === 0) {
    // Importable: the directory takes exactly these attributes under this id.
    const { externalId, attributes } = mapped;
    if (typeof externalId !== 'string' || externalId.length === 0 || externalId.length > MAX_EXTERNAL_ID)
      wrong.push(`importable with externalId ${JSON.stringify(externalId)?.slice(0, 80)}`);
    const checked = userAttributesSchema.safeParse(attributes);
    if (!checked.success) wrong.push(`importable, yet the directory refuses: ${checked.error.message}`);
    if (!userChangeSchema.safeParse({ kind: 'create', externalId, attributes }).success)
      wrong.push('importable, yet not a valid create change');
    if (textsIn([externalId, attributes]).some((text) => LONE_SURROGATE.test(text)))
      wrong.push('a lone surrogate the database cannot store');
    const names = Object.keys(attributes) as (keyof typeof attributes)[];
    if (!/^[\w-]{22}$/.test(attributeFingerprint(attributes, names))) wrong.push('no fingerprint');
  }
  for (const reason of mapped.errors) {
    if (typeof reason !== 'string' || reason.trim() === '') wrong.push(`empty reason ${String(reason)}`);
    // Short and in words: a 100 KB value is never echoed into a result row.
    else if (reason.length > 500) wrong.push(`reason of ${reason.length} characters`);
    // A provider's own value is quoted in a reason, and may well be the text "undefined".
    else if (/\[object |\bundefined\b/.test(reason.replace(/"(?:[^"\\]|\\.)*"/g, '""')))
      wrong.push(`unreadable reason: ${reason}`);
    else if (!namesFieldOrPath(reason, mapping)) wrong.push(`reason names no field or path: ${reason}`);
  }
  return wrong;
}

/** How many users were mapped and how many of them were importable, to check the generators. */
const tally = { mapped: 0, importable: 0 };

/** The generators make importable users too, so the success side of the contract is exercised. */
function expectSomeImportable(): void {
  expect(tally.importable / tally.mapped).toBeGreaterThan(0.05);
}

/** Maps one user (throwing fails the property) and checks the result. */
function mapsSoundly(
  user: unknown,
  mapping: AttributeMapping,
  mapped = mapProviderUser(user, mapping),
): void {
  tally.mapped += 1;
  if (mapped.errors.length === 0) tally.importable += 1;
  const wrong = violations(mapped, mapping);
  if (wrong.length > 0) expect({ mapped, wrong }).toEqual({ mapped, wrong: [] });
}

describe('mapProviderUser on hostile provider pages', () => {
  beforeEach(() => Object.assign(tally, { mapped: 0, importable: 0 }));

  it('maps every HR user or says why not (5,000 pages)', () => {
    fc.assert(
      fc.property(fc.array(hrUser, { maxLength: 6 }), (users) => {
        for (const user of asProviderPage(users)) mapsSoundly(user, HR_MAPPING);
      }),
      runs(5_000),
    );
    expectSomeImportable();
  });

  it('maps every SCIM user or says why not (3,000 pages)', () => {
    fc.assert(
      fc.property(fc.array(scimUser, { maxLength: 4 }), (users) => {
        for (const user of asProviderPage(users)) mapsSoundly(user, SCIM_MAPPING);
      }),
      runs(3_000),
    );
    expectSomeImportable();
  });

  it('survives anything at all in place of a user, with both mappings (2,000 pages)', () => {
    const anyUser = fc.oneof(fc.anything(), fc.jsonValue(), hostile, deeplyNested);
    fc.assert(
      fc.property(fc.array(anyUser, { maxLength: 4 }), (users) => {
        for (const user of users) {
          mapsSoundly(user, HR_MAPPING);
          mapsSoundly(user, SCIM_MAPPING);
        }
      }),
      runs(2_000),
    );
  });
});

/** Strings that look like JSONPath: fragments a user may type into a mapping form. */
const pathLike = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '$',
        '.',
        '..',
        '*',
        '[',
        ']',
        '[0]',
        '[-1:]',
        "['a b']",
        '"',
        "'",
        '(',
        ')',
        '?(',
        '@',
      ),
      fc.constantFrom(
        '@.type',
        '==',
        "'work'",
        '||',
        '&&',
        '!',
        '^',
        '~',
        '`',
        '$..*',
        'constructor',
        '__proto__',
      ),
      fc.constantFrom('email', 'emails', 'value', 'primary', '@.length-1', 'process', 'this', ';', ','),
      fc.string({ unit: oddUnit, maxLength: 3 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('jsonPathProblem on arbitrary text', () => {
  it('answers null or a reason, never throws (3,000 strings)', () => {
    const text = fc.oneof(
      fc.string({ unit: oddUnit, maxLength: 60 }),
      pathLike,
      pathLike.map((p) => `$${p}`),
    );
    fc.assert(
      fc.property(text, (path) => {
        const problem = jsonPathProblem(path);
        if (problem !== null) expect(problem.trim()).not.toBe('');
      }),
      runs(3_000),
    );
  });

  it('a path it accepts never makes mapping throw (1,000 paths × users)', () => {
    const accepted = pathLike.map((p) => `$${p}`).filter((path) => jsonPathProblem(path) === null);
    fc.assert(
      fc.property(accepted, fc.oneof(scimUser, hrUser), (path, user) => {
        const mapping = {
          ...SCIM_MAPPING,
          entries: [...SCIM_MAPPING.entries, { target: 'ORGANIZATION' as const, sourcePath: path }],
        };
        mapsSoundly(asProviderPage([user])[0], mapping);
      }),
      runs(1_000),
    );
  });
});

/** Expressions an admin may write: the README's recipes, mistakes, and ones built to hurt. */
const RECIPE_TRANSFORMS = [
  '$lowercase($)',
  '$trim($uppercase($))',
  '$lowercase(first & "." & last)',
  '$lookup({"Ops": "Operations", "R&D": "Research"}, $) ?: "Other"',
  '$ in ["Leave", "Terminated"] ? "Inactive" : "Active"',
  '$string($)',
  '$substringBefore($, "@")',
  '$split($, "")',
  '{"a": $}',
  '$ + 1',
  '$number($)',
  '$error("refused")',
  '$eval($)',
  '$eval("$eval(\\"1+\\")")',
  '$match($, /(a+)+$/)',
  '$pad("", 100000)',
  '[1..100000]',
  '($f := function($n) { $f($n + 1) }; $f(0))',
  '($g := function($n) { 1 + $g($n) }; $g(0))',
  '$$.__proto__.constructor',
  '$.constructor.constructor("return process")()',
  '$lowercase(',
  '',
];
const transformLike = fc.oneof(
  { arbitrary: fc.constantFrom(...RECIPE_TRANSFORMS), weight: 4 },
  {
    arbitrary: fc
      .array(
        fc.constantFrom(
          '$',
          '$$',
          '(',
          ')',
          '&',
          '"x"',
          '.',
          'first',
          '?',
          ':',
          '$lowercase(',
          '[0]',
          ';',
          '1',
        ),
        {
          maxLength: 8,
        },
      )
      .map((parts) => parts.join('')),
    weight: 1,
  },
);

describe('MappingTransforms on hostile users and expressions', () => {
  beforeEach(() => Object.assign(tally, { mapped: 0, importable: 0 }));

  it('maps every user or says why not, whatever the expression (300 mappings × pages)', async () => {
    await fc.assert(
      fc.asyncProperty(
        transformLike,
        transformLike,
        fc.array(
          fc.oneof(
            hrUser,
            hrUser,
            fc.constant(hostile).chain((h) => h.map((v) => [['id', v]] as Entries)),
          ),
          {
            maxLength: 4,
          },
        ),
        async (emailTransform, statusTransform, users) => {
          const mapping: AttributeMapping = {
            ...HR_MAPPING,
            entries: [
              { target: 'EMAIL', sourcePath: '$.email', transform: emailTransform || null },
              { target: 'USERNAME', sourcePath: '$', transform: '$lowercase(first & "." & last)' },
              ...HR_MAPPING.entries.slice(2),
            ],
            statusTransform: statusTransform || null,
          };
          const transforms = new MappingTransforms(mapping);
          for (const user of asProviderPage(users)) mapsSoundly(user, mapping, await transforms.map(user));
        },
      ),
      runs(300),
    );
    // Most expressions here are built to fail: some users must still come through whole.
    expect(tally.importable).toBeGreaterThan(0);
  }, 120_000);

  it('judges any text as an expression without throwing (3,000 strings)', () => {
    fc.assert(
      fc.property(fc.oneof(transformLike, fc.string({ unit: oddUnit, maxLength: 40 })), (text) => {
        const problem = transformProblem(text);
        if (problem !== null) expect(problem.trim()).not.toBe('');
      }),
      runs(3_000),
    );
  });
});

describe('regressions found by fuzzing', () => {
  it('fails a null, 0, false or "" user with reasons instead of throwing', () => {
    // jsonpath-plus answers undefined for a falsy document; mapping read `.length` of it.
    for (const user of [null, 0, false, '']) {
      expect(mapProviderUser(user, HR_MAPPING).errors).toEqual([
        'externalId: nothing at $.id',
        'email: is required',
        'username: is required',
      ]);
    }
  });

  it('stores a lone surrogate as U+FFFD, as the database would', () => {
    // 'a\uD800' and 'a\uDC00' were two usernames to the directory and one to MariaDB: a duplicate key
    // that failed the whole import.
    for (const login of ['a\uD800', 'a\uDC00']) {
      const { attributes, errors } = mapProviderUser({ id: 1, email: 'a@b.io', login }, HR_MAPPING);
      expect({ username: attributes.username, errors }).toEqual({ username: 'a\uFFFD', errors: [] });
    }
    expect(mapProviderUser({ id: '👩‍💻', email: 'a@b.io', login: 'a' }, HR_MAPPING).externalId).toBe('👩‍💻');
  });

  it('stops reading a path that matches without end, and fails that user alone', () => {
    // `$..*..*` (accepted by jsonPathProblem then; a stored mapping may hold it) through a user nested
    // 1000 levels ran out of heap. Deeper than MAX_DESCENT_DEPTH is refused before reading now; within
    // it, the matches are still counted.
    let nested: unknown = 'x';
    for (let i = 0; i < 60; i += 1) nested = { value: nested };
    const mapping = {
      ...HR_MAPPING,
      entries: [...HR_MAPPING.entries, { target: 'ORGANIZATION' as const, sourcePath: '$..*..*' }],
    };
    const user = { id: 1, email: 'a@b.io', login: 'a', nested };
    expect(mapProviderUser(user, mapping).errors).toEqual(['$..*..* matches more than 100 values, not one']);
  });

  it('reads past a null entry of a list that a filter runs over', () => {
    // `@.primary` of a null email threw "jsonPath: Cannot read properties of null" and stopped the import.
    const user = { id: 'u1', userName: 'ada', emails: [null, { value: 'ada@example.com', primary: true }] };
    expect(mapProviderUser(user, SCIM_MAPPING)).toMatchObject({
      externalId: 'u1',
      attributes: { email: 'ada@example.com', username: 'ada' },
      errors: [],
    });
  });
});
