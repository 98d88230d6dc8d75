import { JSONPath } from 'jsonpath-plus';
import type { AttributeMapping } from './attribute-mapping.js';

/**
 * Longest source path (fallbacks included). Reading a path into steps takes time that grows with
 * the square of its length (64 KB took 1.9 s), and no mapping needs more than a few hundred.
 */
export const MAX_PATH_LENGTH = 500;

/** Quoted names and strings, which may hold any character: blanked before the structure is read. */
const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

/**
 * Why `path` may not be evaluated at all, or null. jsonpath-plus's 'safe' evaluator still runs
 * regular expressions and method calls inside filters: `/^(a+)+$/.test(@.n)` on a provider's
 * "aaaa…a!" blocks the process for minutes. Filters compare values; they call nothing. And a
 * second recursive descent (`$..a..b`) walks the whole user again below every node the first one
 * reaches: through a provider's 10,000 nested levels that took 10 s for one user.
 */
export function pathGuardProblem(path: string): string | null {
  if (path.length > MAX_PATH_LENGTH)
    return `is ${path.length} characters long; a path may have at most ${MAX_PATH_LENGTH}`;
  const structure = path.replace(QUOTED, "''");
  let depth = 0;
  let brackets = 0;
  // Recursive descents in the alternative being read (`||` outside filters and subscripts starts one).
  let descents = 0;
  for (let index = 0; index < structure.length; index += 1) {
    const char = structure[index]!;
    if (char === '.' && structure[index + 1] === '.') {
      if (++descents > 1)
        return 'descends recursively (..) more than once: each descent reads the whole user again, below every value the one before reached';
      index += 1;
    } else if (char === '[') brackets += 1;
    else if (char === ']') brackets = Math.max(0, brackets - 1);
    else if (char === '|' && structure[index + 1] === '|' && depth === 0 && brackets === 0) descents = 0;
    if (char === '(') {
      if (depth > 0 && /[\w$\])]\s*$/.test(structure.slice(0, index)))
        return 'calls a method in a filter: filters may compare values only (==, !=, <, >, &&, ||)';
      depth += 1;
    } else if (char === ')') depth = Math.max(0, depth - 1);
    else if (depth > 0 && (char === '/' || char === '`'))
      return `has ${char === '/' ? 'a regular expression (or a division)' : 'a template string'} in a filter: filters may compare values only`;
  }
  return null;
}

/** Every path a mapping reads a provider user at, with the entry it belongs to. */
export function mappingSourcePaths(mapping: AttributeMapping): { name: string; path: string }[] {
  return [
    ...mapping.entries.map((entry) => ({ name: entry.target, path: entry.sourcePath })),
    { name: 'externalIdPath', path: mapping.externalIdPath },
    ...(mapping.statusPath === null ? [] : [{ name: 'statusPath', path: mapping.statusPath }]),
  ];
}

/**
 * What makes a stored mapping unusable, each problem naming its entry (a mapping saved before the
 * guard existed is checked again before an import or a preview reads users with it).
 */
export function mappingPathProblems(mapping: AttributeMapping): string[] {
  return mappingSourcePaths(mapping).flatMap(({ name, path }) => {
    const problem = pathGuardProblem(path);
    return problem ? [`${name}: ${path.slice(0, 80)}${path.length > 80 ? '…' : ''} ${problem}`] : [];
  });
}

/** Paths and filter scripts kept at most: jsonpath-plus would keep every one it ever saw. */
const MAX_CACHED_PATHS = 1_000;

/** Replaces jsonpath-plus's global cache with one that empties itself when full. */
function boundPathCache(): void {
  const entries: Record<string, unknown> = {};
  let size = 0;
  JSONPath.cache = new Proxy(entries, {
    set(target, key: string, value: unknown) {
      if (!(key in target) && ++size > MAX_CACHED_PATHS) {
        for (const cached of Object.keys(target)) delete target[cached];
        size = 1;
      }
      target[key] = value;
      return true;
    },
  });
}
boundPathCache();
