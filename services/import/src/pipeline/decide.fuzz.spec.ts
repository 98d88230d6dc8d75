import { userAttributesSchema, type UserMatch } from '@uif/directory-client';
import { mapProviderUser, type AttributeMapping } from '@uif/mapping';
import { EMPLOYEE_MAPPING } from '@uif/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type ImportOptions } from './decide.js';

/**
 * decide() over users mapped from hostile HR pages: a user fails exactly when its mapping did, with
 * the reasons; anything planned is something the directory accepts.
 * FUZZ_SEED=<n> replays a run; otherwise the seed is random and fast-check prints it on failure.
 */
const seed = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };

/** EMPLOYEE_MAPPING with the defaults the connector service gives a mapping that leaves them out. */
const MAPPING: AttributeMapping = {
  entries: EMPLOYEE_MAPPING.entries as AttributeMapping['entries'],
  statusPath: EMPLOYEE_MAPPING.statusPath,
  externalIdPath: '$.id',
  inactiveStatuses: ['Leave', 'Inactive'],
  activeStatuses: ['Onboarding', 'Active'],
};

/** The results table's detail column is TEXT: 65,535 bytes of UTF-8. */
const DETAIL_BYTES = 65_535;

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', ' ', 'NaN', '\uD800', '\u200B', '\u202Eevil', '👩‍💻', 'A@B.IO', 'Active', ' leave '),
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.oneof(fc.constant(null), fc.boolean(), fc.double(), text), weight: 6 },
  { arbitrary: fc.integer({ min: 256, max: 20_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);
const MISSING = Symbol('missing');
const field = (good: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { arbitrary: good, weight: 16 },
    { arbitrary: hostile, weight: 1 },
    { arbitrary: fc.constant(MISSING), weight: 1 },
  );
const n = fc.integer({ min: 1, max: 6 });
const employee = fc.record({
  id: field(n.map((i) => 1000 + i)),
  email: field(n.map((i) => `Worker${i}@Acme.example`)),
  login: field(n.map((i) => `worker${i}`)),
  first: field(fc.constantFrom('Ada', 'José')),
  last: field(fc.constantFrom('Lovelace', '李')),
  department: field(fc.constantFrom('Ops', 'R&D')),
  status: field(fc.constantFrom('Active', 'onboarding', 'Leave', 'Inactive', 'Terminated')),
});
/** A page as the provider client hands it over: parsed JSON (a symbol-valued key is left out). */
const page = fc
  .array(fc.oneof({ arbitrary: employee, weight: 8 }, { arbitrary: hostile, weight: 1 }), { maxLength: 5 })
  .map((users) => JSON.parse(JSON.stringify(users)) as unknown[]);

const match: fc.Arbitrary<UserMatch | null> = fc.option(
  fc.record({
    userId: fc.constantFrom('u1', 'u2'),
    state: fc.constantFrom('ACTIVE', 'SUSPENDED', 'STAGED'),
    matchedBy: fc.constantFrom('link', 'email'),
  }),
  { nil: null },
);
/** Mostly what a manual import asks for: create and update, no selection. */
const mostly = (value: boolean) =>
  fc.oneof({ arbitrary: fc.constant(value), weight: 3 }, { arbitrary: fc.constant(!value), weight: 1 });
const options: fc.Arbitrary<ImportOptions> = fc.record({
  create: mostly(true),
  update: mostly(true),
  allowUserReactivation: fc.boolean(),
  selected: fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    { arbitrary: fc.array(n.map((i) => String(1000 + i))).map((ids) => new Set(ids)), weight: 1 },
  ),
});

describe('decide on users mapped from hostile pages', () => {
  it('fails a user exactly when its mapping failed (and it was picked, in a selection), and plans only what the directory accepts (2,000 pages)', () => {
    const decisions = fc.array(fc.tuple(match, fc.boolean()), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(page, decisions, options, (users, situations, importOptions) => {
        users.forEach((user, i) => {
          const mapped = mapProviderUser(user, MAPPING);
          const [matched, current] = situations[i]!;
          const decision = decide(mapped, matched, importOptions, current);
          const failed = decision.kind === 'final' && decision.outcome === 'FAILED';
          const picked =
            !importOptions.selected ||
            (mapped.externalId !== null && importOptions.selected.has(mapped.externalId));
          expect(failed).toBe(mapped.errors.length > 0 && picked);
          if (decision.kind === 'final' && decision.outcome === 'FAILED') {
            // Every reason reaches the result row, which names the directory user when there is one.
            for (const reason of mapped.errors) expect(decision.detail).toContain(reason);
            expect(Buffer.byteLength(decision.detail!)).toBeLessThanOrEqual(DETAIL_BYTES);
            expect(decision.userId).toBe(matched?.userId ?? null);
          } else if (decision.kind === 'final') {
            if (decision.outcome === 'SKIPPED') expect(decision.detail?.trim()).toBeTruthy();
            else
              expect({ outcome: decision.outcome, current }).toEqual({ outcome: 'UNCHANGED', current: true });
          } else if (decision.action === 'create') {
            expect({ matched, create: importOptions.create, status: mapped.statusClass }).toEqual({
              matched: null,
              create: true,
              status: 'active',
            });
            expect(userAttributesSchema.safeParse(decision.attributes).success).toBe(true);
          } else {
            expect({ matched: matched !== null, update: importOptions.update }).toEqual({
              matched: true,
              update: true,
            });
            expect(userAttributesSchema.partial().safeParse(decision.attributes).success).toBe(true);
          }
        });
      }),
      { numRuns: 2_000, ...seed },
    );
  });

  // Found by fuzzing: the whole status was quoted, and a detail over 65,535 bytes failed the results
  // insert, and with it the whole import.
  it('quotes a huge status briefly, so the detail of a skipped new user fits the results table', () => {
    const mapped = mapProviderUser(
      { id: 1, email: 'a@acme.example', login: 'a', status: 'x'.repeat(70_000) },
      MAPPING,
    );
    const both = { create: true, update: true, allowUserReactivation: false, selected: null };
    const decision = decide(mapped, null, both);
    expect(decision).toMatchObject({ kind: 'final', outcome: 'SKIPPED' });
    expect(Buffer.byteLength((decision as { detail: string }).detail)).toBeLessThanOrEqual(DETAIL_BYTES);
  });
});
