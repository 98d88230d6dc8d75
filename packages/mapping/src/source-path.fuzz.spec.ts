import fc from 'fast-check';
import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { compileSourcePath } from './source-path.js';

/**
 * Plain property paths are read without jsonpath-plus: whatever the user, they must read exactly
 * what jsonpath-plus reads. FUZZ_SEED=<n> replays a run.
 */
const seed = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };

const name = fc.constantFrom('a', 'b', 'id', 'value', 'length', 'constructor', '__proto__', '0', '_x1');
const step = fc.oneof(
  name.filter((n) => !/^\d/.test(n)).map((n) => `.${n}`),
  fc.nat({ max: 3 }).map((i) => `[${i}]`),
);
const plainPath = fc.array(step, { maxLength: 4 }).map((steps) => `$${steps.join('')}`);
const keyed = fc.dictionary(name, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
const user = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      keyed,
      fc.dictionary(name, tie('node'), { maxKeys: 3 }),
      fc.array(tie('node'), { maxLength: 3 }),
    ),
  })).node,
);

/** What jsonpath-plus reads at `path`, as the mapping reads it: one value, several (an error), none. */
function jsonPathReading(json: unknown, path: string): { value?: unknown; error?: string } {
  const found = (JSONPath({ path, json: json as object, wrap: true, eval: 'safe' }) as unknown[]) ?? [];
  if (found.length > 1) return { error: `${path} matches ${found.length} values, not one` };
  return { value: found[0] };
}

describe('compileSourcePath on plain property paths', () => {
  it('reads what jsonpath-plus reads, on any user', () => {
    fc.assert(
      fc.property(plainPath, user, (path, json) => {
        expect(compileSourcePath(path)(json)).toEqual(jsonPathReading(json, path));
      }),
      { numRuns: 3000, ...seed },
    );
  });

  it('reads the rest of a filtered path from the first matching entry', () => {
    const read = compileSourcePath('$.emails[?(@.type=="work")].value || $.emails[0].value');
    const emails = [
      { type: 'home', value: 'h@x.io' },
      { type: 'work', value: 'w1@x.io' },
      { type: 'work', value: 'w2@x.io' },
    ];
    expect(read({ emails })).toEqual({ value: 'w1@x.io' });
    expect(read({ emails: emails.slice(0, 1) })).toEqual({ value: 'h@x.io' });
    expect(read({})).toEqual({ value: undefined });
  });
});
