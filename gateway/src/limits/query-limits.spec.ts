import { buildSchema, parse, validate, specifiedRules } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationCost, depthLimitRule } from './query-limits.js';

const schema = buildSchema(`
  type Job { id: ID! connector: Connector! }
  type Connector { id: ID! jobs: [Job!]! }
  type Query { connector: Connector }
`);

const errorsOf = (query: string, maxDepth: number) =>
  validate(schema, parse(query), [...specifiedRules, depthLimitRule(maxDepth)]).map((e) => e.message);

describe('depth limit', () => {
  const nested = (levels: number) =>
    `query Deep { connector { ${'jobs { connector { '.repeat(levels)}id${' } }'.repeat(levels)} } }`;

  it('lets a query at the limit through', () => {
    expect(errorsOf(nested(2), 5)).toEqual([]);
  });

  it('refuses a query one level deeper, naming the limit', () => {
    expect(errorsOf(nested(3), 5)).toEqual(["'Deep' exceeds maximum operation depth of 5"]);
  });

  it('counts depth through fragments too', () => {
    const query = `{ connector { ...deep } } fragment deep on Connector { jobs { connector { jobs { connector { id } } } } }`;
    expect(errorsOf(query, 4)).toHaveLength(1);
  });
});

describe('cost limit', () => {
  const inputSchema = buildSchema(`
    enum Kind { A B }
    input Filter { kind: Kind! name: String! }
    type Query { count(filter: Filter!): Int }
  `);
  const check = (variables: Record<string, unknown>) => () =>
    checkOperationCost({
      schema: inputSchema,
      document: parse('query ($filter: Filter!) { count(filter: $filter) }'),
      variables,
      maxCost: 10,
    });

  it("answers variables that do not fit the operation as the caller's mistake, naming the field", () => {
    for (const variables of [{ filter: { kind: 'A' } }, { filter: { kind: 'C', name: 'x' } }]) {
      expect(check(variables)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      );
    }
    expect(check({ filter: { kind: 'A' } })).toThrow(/name/);
    expect(check({ filter: { kind: 'A', name: 'x' } })).not.toThrow();
  });
});
