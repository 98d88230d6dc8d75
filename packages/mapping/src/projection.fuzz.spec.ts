import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeMapping } from './attribute-mapping.js';
import { compileSourcePath } from './source-path.js';
import { mappingReadPaths, userProjection } from './projection.js';

/**
 * A projected user crosses to the import as JSON and is mapped there: every path must read from it
 * exactly what it reads from the whole user. FUZZ_SEED=<n> replays a run.
 */
const seed = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };

const name = fc.constantFrom('a', 'b', 'id', 'value', 'length', 'constructor', '__proto__', '0', '_x1');
const plainStep = fc.oneof(
  name.filter((n) => !/^\d/.test(n)).map((n) => `.${n}`),
  fc.nat({ max: 3 }).map((i) => `[${i}]`),
);
const otherStep = fc.constantFrom('[*]', '..a', '[?(@.id=="a")]', '[?(@.type)]', "['a b']", '[?(@.a==$.b)]');
const alternative = fc
  .tuple(fc.array(plainStep, { maxLength: 3 }), fc.option(otherStep), fc.array(plainStep, { maxLength: 2 }))
  .map(([before, other, after]) => `$${before.join('')}${other ?? ''}${other ? after.join('') : ''}`);
const path = fc
  .array(alternative, { minLength: 1, maxLength: 2 })
  .map((alternatives) => alternatives.join(' || '));
const keyed = fc.dictionary(name, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
const user = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    keyed,
    fc.dictionary(name, tie('node'), { maxKeys: 3 }),
    fc.array(tie('node'), { maxLength: 4 }),
  ),
})).node;

/** As the connector sends it and the import reads it. */
const overTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

describe('cutting users down to what a mapping reads', () => {
  it('reads the same values at every path as the whole user did', () => {
    fc.assert(
      fc.property(fc.array(path, { minLength: 1, maxLength: 4 }), user, (paths, json) => {
        const whole = overTheWire(json);
        const projection = userProjection(paths);
        const cut = overTheWire(projection ? projection(whole) : whole);
        for (const each of paths)
          expect(compileSourcePath(each)(cut)).toEqual(compileSourcePath(each)(whole));
      }),
      { numRuns: 3000, ...seed },
    );
  });

  it('keeps a Personio user’s mapped values and drops its labels and unmapped attributes', () => {
    const mapping: AttributeMapping = {
      entries: [
        { target: 'EMAIL', sourcePath: '$.attributes.email.value' },
        { target: 'DEPARTMENT', sourcePath: '$.attributes.department.value.attributes.name' },
        { target: 'COST_CENTER', sourcePath: '$.attributes.cost_centers.value[1].attributes.name' },
      ],
      externalIdPath: '$.attributes.id.value',
      statusPath: '$.attributes.status.value || $.status',
      inactiveStatuses: [],
      activeStatuses: [],
    };
    const employee = {
      type: 'Employee',
      attributes: {
        id: { label: 'ID', value: 7 },
        email: { label: 'Email', value: 'ada@acme.example' },
        gender: { label: 'Gender', value: 'female' },
        status: { label: 'Status', value: 'active' },
        department: {
          label: 'Department',
          value: { type: 'Department', attributes: { id: 2, name: 'Ops' } },
        },
        cost_centers: {
          label: 'Cost center',
          value: [{ attributes: { name: 'CC-1' } }, { attributes: { name: 'CC-2', percentage: 50 } }],
        },
      },
    };

    expect(overTheWire(userProjection(mappingReadPaths(mapping))!(employee))).toEqual({
      attributes: {
        id: { value: 7 },
        email: { value: 'ada@acme.example' },
        status: { value: 'active' },
        department: { value: { attributes: { name: 'Ops' } } },
        cost_centers: { value: [null, { attributes: { name: 'CC-2' } }] },
      },
    });
  });

  it('keeps whole users when a path may read anything: the root, a descent from it, the root in a filter', () => {
    for (const paths of [['$'], ['$..email'], ['$.emails[?(@.type == $.preferred)].value'], ['$.a', '$[*]']])
      expect(userProjection(paths)).toBeNull();
  });
});
