import {
  userAttributesSchema,
  type Address,
  type PhoneNumber,
  type UserAttributes,
} from '@uif/directory-client';
import { JSONPath } from 'jsonpath-plus';
import { ATTRIBUTE_TARGETS, type UserAttribute } from './attributes.js';
import { transformKey, type TransformedValues } from './transform.js';
import { pathGuardProblem } from './path-guard.js';

export interface AttributeMapping {
  /** `transform`: a JSONata expression over the value at sourcePath (see transform.ts). */
  entries: { target: UserAttribute; sourcePath: string; transform?: string | null }[];
  externalIdPath: string;
  statusPath: string | null;
  /** A JSONata expression over the value at statusPath. */
  statusTransform?: string | null;
  inactiveStatuses: string[];
  activeStatuses: string[];
}

/** active: may be created or reactivated; inactive: suspended; unknown: neither list names it. */
export type StatusClass = 'active' | 'inactive' | 'unknown';

export interface MappedUser {
  externalId: string | null;
  attributes: Partial<UserAttributes>;
  status: string | null;
  statusClass: StatusClass;
  /** Why this user cannot be imported; empty when it can. */
  errors: string[];
}

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

/** The longest provider id the directory links (and results record). */
export const MAX_EXTERNAL_ID = 255;

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

/**
 * A UTF-16 surrogate without its pair. UTF-8 cannot hold one: the database stores U+FFFD instead, so
 * two ids or usernames differing only there would be one duplicate key (failing a whole batch), and a
 * stored value would never equal the mapped one (an update on every import).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Scalars become text (numeric ids too), as the directory stores it; objects and arrays are an error. */
function asText(value: unknown, path: string): { text?: string | null; error?: string } {
  if (value === undefined || value === null) return { text: null };
  if (typeof value === 'string') return { text: value.trim().replace(LONE_SURROGATE, '\uFFFD') };
  if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value) };
  return { error: `${path} is ${Array.isArray(value) ? 'an array' : 'an object'}, not a text value` };
}

export function classifyStatus(
  status: string | null,
  mapping: Pick<AttributeMapping, 'statusPath' | 'inactiveStatuses' | 'activeStatuses'>,
): StatusClass {
  if (mapping.statusPath === null) return 'active';
  if (status === null) return 'unknown';
  const normalized = status.trim().toLowerCase();
  if (mapping.inactiveStatuses.some((s) => s.trim().toLowerCase() === normalized)) return 'inactive';
  if (mapping.activeStatuses.some((s) => s.trim().toLowerCase() === normalized)) return 'active';
  // A yes/no flag (SCIM's `active`, an HR system's is_active) means what it says unless the lists
  // name it: a mapping saved with the default statuses (Leave, Inactive…) must not strand every user.
  if (normalized === 'true') return 'active';
  if (normalized === 'false') return 'inactive';
  return 'unknown';
}

/** Each mapping's paths, compiled the first time a user is mapped with it: an import maps thousands. */
const compiledPaths = new WeakMap<AttributeMapping, Map<string, SourceReader>>();

function readerOf(mapping: AttributeMapping, path: string): SourceReader {
  let readers = compiledPaths.get(mapping);
  if (!readers) compiledPaths.set(mapping, (readers = new Map()));
  let reader = readers.get(path);
  if (!reader) readers.set(path, (reader = compileSourcePath(path)));
  return reader;
}

/**
 * Turns one provider user into directory attributes, with every reason it could not be imported.
 * A mapping with transforms is mapped by MappingTransforms, which evaluates them into `transformed`.
 */
export function mapProviderUser(
  user: unknown,
  mapping: AttributeMapping,
  transformed?: TransformedValues,
): MappedUser {
  const errors: string[] = [];
  const read = (path: string, transform?: string | null): string | null => {
    const { value, error } = transform
      ? (transformed?.get(transformKey(path, transform)) ?? { error: `${path}: its transform was not run` })
      : readerOf(mapping, path)(user);
    const { text, error: typeError } = error ? { error } : asText(value, path);
    if (error ?? typeError) errors.push((error ?? typeError)!);
    return text ?? null;
  };

  const externalId = read(mapping.externalIdPath);
  if (!externalId) errors.push(`externalId: nothing at ${mapping.externalIdPath}`);
  else if (externalId.length > MAX_EXTERNAL_ID)
    errors.push(`externalId: longer than ${MAX_EXTERNAL_ID} characters`);
  const status = mapping.statusPath ? read(mapping.statusPath, mapping.statusTransform) : null;

  const scalars: Record<string, string | null> = {};
  const addresses = new Map<Address['type'], Address>();
  const phones: PhoneNumber[] = [];
  for (const { target, sourcePath, transform } of mapping.entries) {
    const text = read(sourcePath, transform);
    const where = ATTRIBUTE_TARGETS[target];
    if (where.kind === 'scalar') scalars[where.name] = text;
    else if (text === null || text === '') continue;
    else if (where.kind === 'phone') phones.push({ type: where.type, number: text });
    else {
      const entry = addresses.get(where.type) ?? { type: where.type };
      addresses.set(where.type, { ...entry, [where.field]: text });
    }
  }
  // Lists only when the mapping has targets in them: an update must not clear what it does not map.
  const targets = mapping.entries.map((entry) => ATTRIBUTE_TARGETS[entry.target].kind);
  const attributes: Partial<UserAttributes> = {
    ...scalars,
    ...(targets.includes('address') ? { addresses: [...addresses.values()] } : {}),
    ...(targets.includes('phone') ? { phoneNumbers: phones } : {}),
  };
  const checked = userAttributesSchema.safeParse(attributes);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const name = issue.path.map(String).join('.');
      const value = issue.path.reduce<unknown>(
        (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k],
        attributes,
      );
      errors.push(
        value === undefined || value === null || value === ''
          ? `${name}: is required`
          : `${name}: ${issue.message}`,
      );
    }
  }
  return { externalId, attributes, status, statusClass: classifyStatus(status, mapping), errors };
}
