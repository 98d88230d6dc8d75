import { JSONPath } from 'jsonpath-plus';
import { pathGuardProblem } from './path-guard.js';

/**
 * A document in which every step of `path` exists, so that evaluating the path runs each of its
 * filters and subscripts: their syntax errors only show when they meet data.
 */
function probeFor(path: string): unknown {
  const steps = JSONPath.toPathArray(path).slice(1);
  return steps.reduceRight<unknown>(
    (inner, step) => (/^(\?\(|\(|\*$|\d+$)/.test(step) ? [inner, inner] : { [step]: inner }),
    'value',
  );
}

/** Each character of `path` outside quoted names, with the bracket depth it stands at. */
function* structureOf(path: string): Generator<{ index: number; char: string; depth: number }> {
  let depth = 0;
  let quote: string | null = null;
  for (let index = 0; index < path.length; index += 1) {
    const char = path[index]!;
    if (quote) {
      if (char === quote) quote = null;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      continue;
    }
    if (char === ']' || char === ')') depth -= 1;
    yield { index, char, depth };
    if (char === '[' || char === '(') depth += 1;
  }
}

/** Separates alternatives: `||` between paths, never inside a filter, a subscript or a quoted name. */
export function pathAlternatives(path: string): string[] {
  const alternatives: string[] = [];
  let start = 0;
  for (const { index, char, depth } of structureOf(path)) {
    if (index < start || depth !== 0 || char !== '|' || path[index + 1] !== '|') continue;
    alternatives.push(path.slice(start, index).trim());
    start = index + 2;
  }
  alternatives.push(path.slice(start).trim());
  return alternatives;
}

/** Where the last top-level filter (`[?(...)]`) of `path` ends, or -1 when it has none. */
function lastFilterEnd(path: string): number {
  let inFilter = false;
  let end = -1;
  for (const { index, char, depth } of structureOf(path)) {
    if (depth !== 0) continue;
    if (char === '[')
      inFilter = path
        .slice(index + 1)
        .trimStart()
        .startsWith('?');
    else if (char === ']' && inFilter) [inFilter, end] = [false, index];
  }
  return end;
}

function singlePathProblem(path: string): string | null {
  if (!path.startsWith('$')) return 'must be a JSONPath starting with $, e.g. $.work_email';
  try {
    JSONPath({ path, json: probeFor(path) as object, wrap: true, eval: 'safe' });
    return null;
  } catch (error) {
    return `is not a valid JSONPath: ${(error as Error).message}`;
  }
}

/**
 * Checks a source path, which may list fallbacks (`$.primary_email || $.emails[0]`); returns why it
 * is unusable, or null.
 */
export function jsonPathProblem(path: string): string | null {
  const refused = pathGuardProblem(path);
  if (refused) return refused;
  const alternatives = pathAlternatives(path);
  if (alternatives.length === 1) return singlePathProblem(path);
  for (const [index, alternative] of alternatives.entries()) {
    const problem = singlePathProblem(alternative);
    if (problem) return `alternative ${index + 1} (${alternative || 'empty'}) ${problem}`;
  }
  return null;
}

/** Matches counted before reading stops: `$..*..*` through deeply nested data would fill the heap. */
const MAX_MATCHES = 100;
class TooManyMatches extends Error {}

/**
 * Deepest data a recursive descent (`..`) reads. jsonpath-plus keeps the path to every value it
 * passes, so a descent through a provider's 10,000 nested levels took 9 s for one user.
 */
export const MAX_DESCENT_DEPTH = 100;
const tooDeep = new WeakMap<object, boolean>();

/** Whether `value` holds objects or lists nested more than `limit` levels (each user checked once). */
function nestedDeeperThan(value: object, limit: number): boolean {
  let deeper = tooDeep.get(value);
  if (deeper !== undefined) return deeper;
  deeper = false;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0 && !deeper) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) deeper = true;
    else for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  tooDeep.set(value, deeper);
  return deeper;
}

/** Every value at `path` in `json`, or why it could not be read. */
function valuesAt(json: unknown, path: string): { found: unknown[]; error?: undefined } | { error: string } {
  if (
    path.includes('..') &&
    typeof json === 'object' &&
    json !== null &&
    nestedDeeperThan(json, MAX_DESCENT_DEPTH)
  )
    return {
      error: `could not be read: the user is nested more than ${MAX_DESCENT_DEPTH} levels deep, past what .. reads`,
    };
  let matches = 0;
  try {
    // A filter that cannot run on an entry (@.primary of a null email) means the entry does not
    // match; jsonpath-plus would throw. It answers undefined, not [], for a falsy user (null, 0, "").
    const found = JSONPath({
      path,
      json: json as object,
      wrap: true,
      eval: 'safe',
      ignoreEvalErrors: true,
      callback: () => {
        matches += 1;
        if (matches > MAX_MATCHES) throw new TooManyMatches();
      },
    }) as unknown[] | undefined;
    return { found: found ?? [] };
  } catch (error) {
    if (error instanceof TooManyMatches) return { error: `matches more than ${MAX_MATCHES} values, not one` };
    // Anything else (`..` through 10,000 nested levels overflows the stack) fails this user alone.
    return { error: `could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** How a value is read from a provider user: compiled once per path, then run for every user. */
export type SourceReader = (user: unknown) => { value?: unknown; error?: string };

/** `$`, `$.name`, `$.a.b[0]`: followed property by property, as jsonpath-plus would, without it. */
const PLAIN_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/;

/** The matches of `path` in `json`: property steps read directly when the path has nothing else. */
function matcherOf(path: string): (json: unknown) => ReturnType<typeof valuesAt> {
  if (!PLAIN_PATH.test(path)) return (json) => valuesAt(json, path);
  const steps = JSONPath.toPathArray(path).slice(1);
  return (json) => {
    // jsonpath-plus reads nothing from a falsy document, and follows own properties only.
    let value = json;
    if (!value) return { found: [] };
    for (const step of steps) {
      if (!value || !Object.hasOwn(value, step)) return { found: [] };
      value = (value as Record<string, unknown>)[step];
    }
    return { found: [value] };
  };
}

/**
 * The single value of one alternative. A filter picks entries of a list, and the first entry it
 * matches counts (SCIM lists may hold two work phones): the rest of the path is read from that entry
 * alone, so one address's street never goes with another's city. Any other path matching several
 * values is an error, since nothing says which one is meant.
 */
function singleValueReader(path: string): SourceReader {
  const cut = lastFilterEnd(path);
  const entriesAt = cut >= 0 ? matcherOf(path.slice(0, cut + 1)) : null;
  const valuesOf = matcherOf(cut >= 0 ? `$${path.slice(cut + 1)}` : path);
  return (user) => {
    let scope = user;
    if (entriesAt) {
      const entries = entriesAt(user);
      if (entries.error !== undefined) return { error: `${path} ${entries.error}` };
      if (entries.found.length === 0) return {};
      scope = entries.found[0];
    }
    const values = valuesOf(scope);
    if (values.error !== undefined) return { error: `${path} ${values.error}` };
    if (values.found.length > 1) return { error: `${path} matches ${values.found.length} values, not one` };
    return { value: values.found[0] };
  };
}

/**
 * Reads the single value at `path` (see singleValueReader): undefined when absent. With fallbacks,
 * the first alternative that holds something other than null or an empty string.
 */
export function compileSourcePath(path: string): SourceReader {
  const alternatives = pathAlternatives(path).map(singleValueReader);
  return (user) => {
    for (const [index, alternative] of alternatives.entries()) {
      const { value, error } = alternative(user);
      if (error !== undefined) return { error };
      const last = index === alternatives.length - 1;
      if (last || (value !== undefined && value !== null && value !== '')) return { value };
    }
    return {};
  };
}
