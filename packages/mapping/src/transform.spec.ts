import { describe, expect, it } from 'vitest';
import type { AttributeMapping } from './attribute-mapping.js';
import { MappingTransforms } from './mapping-transforms.js';
import { TRANSFORM_TIME_LIMIT_MS, transformProblem } from './transform.js';

const mapping = (overrides: Partial<AttributeMapping> = {}): AttributeMapping => ({
  entries: [
    { target: 'EMAIL', sourcePath: '$.email', transform: '$lowercase($)' },
    { target: 'USERNAME', sourcePath: '$', transform: '$lowercase(first_name & "." & last_name)' },
    {
      target: 'DEPARTMENT',
      sourcePath: '$.dept',
      transform: '$lookup({"ENG": "Engineering", "SAL": "Sales"}, $) ?: "Other"',
    },
    { target: 'LASTNAME', sourcePath: '$.last_name' },
  ],
  externalIdPath: '$.id',
  statusPath: '$',
  statusTransform: 'end_date and $toMillis(end_date) < $millis() ? "Inactive" : status',
  inactiveStatuses: ['Inactive', 'Leave'],
  activeStatuses: ['Active'],
  ...overrides,
});

const ada = {
  id: 7,
  email: 'Ada.Lovelace@Acme.EXAMPLE',
  first_name: 'Ada',
  last_name: 'Lovelace',
  dept: 'ENG',
  status: 'Active',
  end_date: null,
};

describe('transforms', () => {
  it('applies the recipes: lower-cased email, username from two fields, a code table, a status from two fields', async () => {
    const transforms = new MappingTransforms(mapping());
    expect(await transforms.map(ada)).toMatchObject({
      externalId: '7',
      attributes: {
        email: 'ada.lovelace@acme.example',
        username: 'ada.lovelace',
        department: 'Engineering',
        lastname: 'Lovelace',
      },
      statusClass: 'active',
      errors: [],
    });
    const gone = await transforms.map({ ...ada, dept: 'XYZ', end_date: '2020-06-30T00:00:00Z' });
    expect(gone).toMatchObject({
      attributes: { department: 'Other' },
      status: 'Inactive',
      statusClass: 'inactive',
    });
  });

  it('refuses a syntax error with where it is, and accepts any valid expression', () => {
    expect(transformProblem('$lowercase(')).toMatch(
      /^is not a valid JSONata expression: .+ \(at character \d+\)$/,
    );
    expect(transformProblem(' ')).toBe('must not be empty');
    expect(transformProblem('$uppercase($)')).toBeNull();
  });

  it('fails only the user whose transform throws, with the reason', async () => {
    const transforms = new MappingTransforms(
      mapping({
        entries: [
          ...mapping().entries.slice(0, 3),
          { target: 'LASTNAME', sourcePath: '$.last_name', transform: '$ + 1' },
        ],
      }),
    );
    const bad = await transforms.map(ada);
    expect(bad.errors).toEqual([
      expect.stringMatching(
        /^the transform of \$\.last_name \(\$ \+ 1\) failed: .*must evaluate to a number/,
      ),
    ]);
    expect((await transforms.map({ ...ada, last_name: 41 })).attributes).toMatchObject({ lastname: '42' });
  });

  it('stops an expression that loops or recurses without end, and after three users runs it no more', async () => {
    const looping = '($loop := function($n) { $loop($n + 1) }; $loop(0))';
    const recursing = '($deep := function($n) { 1 + $deep($n + 1) }; $deep(0))';
    const transforms = new MappingTransforms(
      mapping({
        entries: [
          ...mapping().entries.slice(0, 2),
          { target: 'FIRSTNAME', sourcePath: '$.first_name', transform: looping },
          { target: 'LASTNAME', sourcePath: '$.last_name', transform: recursing },
        ],
      }),
    );
    const started = Date.now();
    const users = [];
    for (let id = 0; id < 6; id += 1) users.push(await transforms.map({ ...ada, id }));
    expect(Date.now() - started).toBeLessThan(TRANSFORM_TIME_LIMIT_MS * 3 + 2_000);
    for (const user of users) {
      expect(user.attributes).toMatchObject({ email: 'ada.lovelace@acme.example' });
      expect(user.errors).toHaveLength(2);
    }
    expect(users[0]!.errors[0]).toMatch(/^the transform of \$\.first_name \(.+\) ran longer than 100 ms$/);
    expect(users[0]!.errors[1]).toMatch(/^the transform of \$\.last_name \(.+\) failed: Stack overflow/);
    expect(users[5]!.errors[0]).toMatch(
      /ran longer than 100 ms for 3 users in a row, so it is not run again in this import$/,
    );
  });

  it('runs regular expressions in linear time, so no provider value can hold an import', async () => {
    const transforms = new MappingTransforms(
      mapping({
        entries: [
          ...mapping().entries.slice(0, 3),
          {
            target: 'LASTNAME',
            sourcePath: '$.last_name',
            transform: '$match($, /^(a+)+$/i) ? "aaa" : $replace($, /(o)/, "0")',
          },
        ],
      }),
    );
    const started = Date.now();
    const evil = await transforms.map({ ...ada, last_name: `${'a'.repeat(40)}!` });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(evil.attributes).toMatchObject({ lastname: `${'a'.repeat(40)}!` });
    expect((await transforms.map(ada)).attributes).toMatchObject({ lastname: 'L0velace' });
    expect(transformProblem('$match($, /(a)\\1/)')).toMatch(
      /^the regular expression \/\(a\)\\1\/ cannot be used \(no backreferences or lookaround\): /,
    );
  });

  it('costs nothing for a mapping without transforms', async () => {
    const plain = new MappingTransforms(
      mapping({
        entries: [{ target: 'EMAIL', sourcePath: '$.email' }],
        statusTransform: null,
        statusPath: '$.status',
      }),
    );
    expect(await plain.map(ada)).toMatchObject({
      attributes: { email: 'Ada.Lovelace@Acme.EXAMPLE' },
      statusClass: 'active',
    });
  });
});
