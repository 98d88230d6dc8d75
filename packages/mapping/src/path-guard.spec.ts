import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { jsonPathProblem } from './source-path.js';
import { mappingPathProblems, MAX_PATH_LENGTH, pathGuardProblem } from './path-guard.js';
import { SCIM_STANDARD_MAPPING } from './scim-mapping.js';

describe('the path guard', () => {
  it('refuses regular expressions and method calls in filters before anything evaluates them', () => {
    for (const path of [
      '$[?(/^(a+)+$/.test(@.n))]',
      '$.emails[?(@.value.match("^(a+)+$"))].value',
      '$.emails[?(@.value.constructor.constructor("return 1")())].value',
      '$.list[?((@.a)(1))]',
      '$.emails[?(@.value == `x`)].value',
    ]) {
      expect({ path, problem: jsonPathProblem(path) }).toEqual({
        path,
        problem: expect.stringMatching(/in a filter: filters may compare values only/),
      });
    }
  });

  it('accepts comparisons, groups, quoted names holding any character, and the SCIM standard mapping', () => {
    for (const path of [
      "$.emails[?(@.type == 'work' && (@.primary == true || @.primary == 'True'))].value",
      "$['odd.name(with) /slash/']",
      '$.emails[?(@.value == "a/b.test(c)")].value || $.emails[0].value',
    ]) {
      expect({ path, problem: pathGuardProblem(path) }).toEqual({ path, problem: null });
    }
    expect(mappingPathProblems(SCIM_STANDARD_MAPPING)).toEqual([]);
  });

  it('refuses a second recursive descent in one path, but one in each of two alternatives is read', () => {
    for (const path of [
      '$..a..b',
      '$..*..*',
      '$[?(@.a)]..b[0]..c',
      '$.x || $..emails[?(@.primary)]..value',
    ]) {
      expect({ path, problem: jsonPathProblem(path) }).toEqual({
        path,
        problem: expect.stringMatching(/^descends recursively \(\.\.\) more than once/),
      });
    }
    for (const path of ['$..work_email || $..email', "$..emails[?(@.type == '..')].value", "$['a..b']..c"])
      expect({ path, problem: jsonPathProblem(path) }).toEqual({ path, problem: null });
  });

  it('refuses a 100 KB path at once, without reading it into steps', () => {
    const path = `$${'.a'.repeat(50_000)}`;
    const started = performance.now();
    expect(jsonPathProblem(path)).toBe(
      `is 100001 characters long; a path may have at most ${MAX_PATH_LENGTH}`,
    );
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('names each refused entry of a stored mapping', () => {
    const mapping = {
      ...SCIM_STANDARD_MAPPING,
      entries: [
        ...SCIM_STANDARD_MAPPING.entries,
        { target: 'JOB_TITLE' as const, sourcePath: '$[?(/x/.test(@))]' },
      ],
      statusPath: `$${'.a'.repeat(300)}`,
    };
    expect(mappingPathProblems(mapping)).toEqual([
      expect.stringMatching(/^JOB_TITLE: \$\[\?\(\/x\/\.test\(@\)\)\] has a regular expression/),
      expect.stringMatching(/^statusPath: \$\.a\.a.*… is 601 characters long/),
    ]);
  });

  it('keeps jsonpath-plus’s path cache bounded however many paths it sees', () => {
    for (let index = 0; index < 5_000; index += 1) JSONPath({ path: `$.f${index}`, json: {} });
    expect(Object.keys(JSONPath.cache as object).length).toBeLessThanOrEqual(1_000);
  });
});
