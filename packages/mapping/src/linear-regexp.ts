import { RE2JS } from 're2js';

/**
 * The regular expressions of a transform, run by RE2 (re2js) in time linear in the text: a
 * backtracking engine could spend minutes on one provider value (`/(a+)+$/` against "aaaa…b"), and
 * jsonata cannot stop a regular expression while it runs. jsonata hands over its parsed RegExp (always
 * global) and uses `lastIndex` and `exec` as RegExp has them. RE2 has no backreferences or lookaround.
 */
export class LinearRegExp {
  lastIndex = 0;
  private readonly pattern: RE2JS;

  constructor(regexp: RegExp) {
    const flags =
      (regexp.flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) |
      (regexp.flags.includes('m') ? RE2JS.MULTILINE : 0);
    this.pattern = RE2JS.compile(regexp.source, flags);
  }

  exec(text: string): RegExpExecArray | null {
    const matcher = this.pattern.matcher(text);
    if (this.lastIndex > text.length || !matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups = Array.from({ length: matcher.groupCount() + 1 }, (_, group) => matcher.group(group));
    this.lastIndex = matcher.end();
    return Object.assign(groups, { index: matcher.start(), input: text }) as RegExpExecArray;
  }
}

/** Why RE2 cannot run a regular expression of the expression's syntax tree, or null. */
export function regexProblem(tree: unknown): string | null {
  if (tree instanceof RegExp) {
    try {
      new LinearRegExp(tree);
      return null;
    } catch (error) {
      return `the regular expression /${tree.source}/ cannot be used (no backreferences or lookaround): ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (tree === null || typeof tree !== 'object') return null;
  for (const child of Object.values(tree)) {
    const problem = regexProblem(child);
    if (problem) return problem;
  }
  return null;
}
