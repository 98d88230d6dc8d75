import { dataOf } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBatch,
  person,
  startDirectoryFixture,
  type DirectoryFixture,
} from '../testing/directory-fixture.js';

interface UserPage {
  users: {
    totalCount: number;
    nodes: { id: string; username: string }[];
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
}
const USERS = `query ($filter: UserFilter, $first: Int, $after: String) {
  users(filter: $filter, first: $first, after: $after) { totalCount nodes { id username } pageInfo { endCursor hasNextPage } }
}`;

describe('directory users', () => {
  let fixture: DirectoryFixture;
  let org: string;
  let ids: string[];
  beforeAll(async () => {
    fixture = await startDirectoryFixture('mysql');
    org = await fixture.newOrganization();
    const changes = Array.from({ length: 7 }, (_, i) => ({
      kind: 'create' as const,
      externalId: `u${i}`,
      attributes: person(i, i === 3 ? { firstname: 'Zoë_Special' } : {}),
    }));
    const { results } = await fixture.batches.applyUserBatch(createBatch(org, changes));
    ids = results.map((r) => r.userId!);
  });
  afterAll(() => fixture?.close());

  it('pages with cursors in creation order, with the total of the whole list', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: UserPage = dataOf(await fixture.as(org)<UserPage>(USERS, { first: 3, after }));
      expect(page.users.totalCount).toBe(7);
      seen.push(...page.users.nodes.map((n) => n.id));
      if (!page.users.pageInfo.hasNextPage) break;
      after = page.users.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);
  });

  it('filters by search (case-insensitive, wildcards taken literally), state and department', async () => {
    const search = async (filter: Record<string, unknown>) =>
      dataOf(await fixture.as(org)<UserPage>(USERS, { filter })).users.nodes.map((n) => n.username);
    expect(await search({ search: 'zoë_SPECIAL' })).toEqual(['person3']);
    expect(await search({ search: 'zo%' })).toEqual([]);
    expect(await search({ search: 'PERSON.5@' })).toEqual(['person5']);
    expect(await search({ department: 'Sales' })).toEqual(['person0', 'person2', 'person4', 'person6']);
    expect(await search({ state: 'SUSPENDED' })).toEqual([]);
  });

  it('refuses a forged cursor and an oversized page', async () => {
    const forged = await fixture.as(org)(USERS, { after: 'not a cursor!' });
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['after'] });
    const huge = await fixture.as(org)(USERS, { first: 10_000 });
    expect(huge.errors?.[0]?.message).toBe('first must be between 0 and 500');
  });

  it('hides the users of other organizations by list, by id and through _entities', async () => {
    const other = await fixture.newOrganization();
    const list = dataOf(await fixture.as(other)<UserPage>(USERS));
    expect(list.users.totalCount).toBe(0);
    const byId = dataOf(
      await fixture.as(other)<{ user: unknown }>('query ($id: ID!) { user(id: $id) { id } }', { id: ids[0] }),
    );
    expect(byId.user).toBeNull();
    const entities = dataOf(
      await fixture.as(other)<{ _entities: unknown[] }>(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }',
        { r: ids.map((id) => ({ __typename: 'User', id })) },
      ),
    );
    expect(entities._entities).toEqual(ids.map(() => null));
  });

  it('resolves 500 User references with at most 2 SQL statements', async () => {
    const many = await fixture.newOrganization();
    const changes = Array.from({ length: 500 }, (_, i) => ({
      kind: 'create' as const,
      externalId: `m${i}`,
      attributes: person(i),
    }));
    const { results } = await fixture.batches.applyUserBatch(createBatch(many, changes));
    const representations = results.map((r) => ({ __typename: 'User', id: r.userId }));
    let answer: { _entities: ({ id: string; email: string } | null)[] } | undefined;
    const statements = await fixture.queries.during(async () => {
      answer = dataOf(
        await fixture.as(many)<{ _entities: { id: string; email: string }[] }>(
          'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email username state } } }',
          { r: representations },
        ),
      );
    });
    expect(answer!._entities.map((u) => u?.id)).toEqual(results.map((r) => r.userId));
    expect(answer!._entities[42]!.email).toBe('person.42@example.com');
    expect(statements.length).toBeLessThanOrEqual(2);
  });
});
