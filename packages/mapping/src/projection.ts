import { JSONPath } from 'jsonpath-plus';
import type { AttributeMapping } from './attribute-mapping.js';
import { pathAlternatives } from './source-path.js';
import { mappingSourcePaths } from './path-guard.js';

/** The paths to cut a mapping's users down to (the listing's `readPaths`). */
export function mappingReadPaths(mapping: AttributeMapping): string[] {
  return mappingSourcePaths(mapping).map(({ path }) => path);
}

/** What a projection keeps below one property: everything, or some of its properties. */
type Kept = 'all' | Map<string, Kept>;

/** A property or list index, followed as is. */
const PLAIN_STEP = /^(?:[A-Za-z_][A-Za-z0-9_]*|\d+)$/;
/** What lets a filter read outside the value it filters: the root, or a parent. */
const REACHES_OUT = /[$^]|@root|@parent|@path/;

/**
 * A provider user cut down to what `paths` can read (their alternatives too), for sending users
 * between services: each path's plain steps are followed, and whatever it reads from there on
 * (a filter, a wildcard) is kept whole. The mapping reads the same values from it as from the whole
 * user. Null when some path may read anything (`$`, `$..x`, or a filter reaching for the root).
 */
export function userProjection(paths: readonly string[]): ((user: unknown) => unknown) | null {
  const kept = new Map<string, Kept>();
  for (const path of paths.flatMap(pathAlternatives)) {
    const steps = keptSteps(path);
    if (steps === null || steps.length === 0) return null;
    keep(kept, steps);
  }
  return (user) => project(user, kept);
}

/** The plain steps of `path` down to the value it reads within; null when that cannot be told. */
function keptSteps(path: string): string[] | null {
  let steps: string[];
  try {
    steps = JSONPath.toPathArray(path).slice(1);
  } catch {
    return null;
  }
  const plain = steps.findIndex((step) => !PLAIN_STEP.test(step));
  if (plain === -1) return steps;
  return steps.slice(plain).some((step) => REACHES_OUT.test(step)) ? null : steps.slice(0, plain);
}

function keep(kept: Map<string, Kept>, [step, ...below]: string[]): void {
  if (below.length === 0) {
    kept.set(step!, 'all');
    return;
  }
  let next = kept.get(step!);
  if (next === 'all') return;
  if (!next) kept.set(step!, (next = new Map()));
  keep(next, below);
}

/** Own properties only, as the mapping follows them; a list keeps its entries' places. */
function project(value: unknown, kept: Map<string, Kept>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const projected: Record<string, unknown> = Array.isArray(value)
    ? ([] as unknown as Record<string, unknown>)
    : {};
  for (const [step, below] of kept) {
    if (!Object.hasOwn(value, step)) continue;
    const inner = (value as Record<string, unknown>)[step];
    const kept = below === 'all' ? inner : project(inner, below);
    // A provider may name a property __proto__ (JSON.parse makes it an own one): kept as one.
    if (step === '__proto__') Object.defineProperty(projected, step, { value: kept, enumerable: true });
    else projected[step] = kept;
  }
  return projected;
}
