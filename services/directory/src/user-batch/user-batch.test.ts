import {
  attributeFingerprint,
  type AttributeName,
  type ChangeResult,
  type UserChange,
} from '@uif/directory-client';
import { dataOf } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBatch,
  person,
  startDirectoryFixture,
  type Dialect,
  type DirectoryFixture,
} from '../testing/directory-fixture.js';

const creates = (from: number, count: number): UserChange[] =>
  Array.from({ length: count }, (_, i) => ({
    kind: 'create',
    externalId: `ext-${from + i}`,
    attributes: person(from + i),
  }));

const byOutcome = (results: ChangeResult[]) =>
  results.reduce<Record<string, number>>(
    (counts, r) => ({ ...counts, [r.outcome]: (counts[r.outcome] ?? 0) + 1 }),
    {},
  );

describe.each<Dialect>(['mysql', 'sqlite'])('the internal user batch interface on %s', (dialect) => {
  let fixture: DirectoryFixture;
  beforeAll(async () => {
    fixture = await startDirectoryFixture(dialect);
  });
  afterAll(() => fixture?.close());

  async function userCount(organizationId: string): Promise<number> {
    const data = dataOf(
      await fixture.as(organizationId)<{ organization: { userCount: number } }>(
        '{ organization { userCount } }',
      ),
    );
    return data.organization.userCount;
  }

  it('creates 10,000 users in one batch, and re-sending the batch changes nothing', async () => {
    const org = await fixture.newOrganization();
    const batch = createBatch(org, creates(0, 10_000));
    const first = await fixture.batches.applyUserBatch(batch);
    expect(byOutcome(first.results)).toEqual({ created: 10_000 });
    expect(await userCount(org)).toBe(10_000);

    // The same job re-sending it (its worker died before recording the answer) gets the same answer.
    const again = await fixture.batches.applyUserBatch(batch);
    expect(byOutcome(again.results)).toEqual({ created: 10_000 });
    expect(again.results.map((r) => r.userId)).toEqual(first.results.map((r) => r.userId));
    expect(await userCount(org)).toBe(10_000);
    // Another job finds the users as they are.
    const later = await fixture.batches.applyUserBatch({ ...batch, importJobId: 'job-2' });
    expect(byOutcome(later.results)).toEqual({ unchanged: 10_000 });
    expect(await userCount(org)).toBe(10_000);
  });

  it('fails only the users whose email collides, inside the batch or with a stored user', async () => {
    const org = await fixture.newOrganization();
    await fixture.batches.applyUserBatch(createBatch(org, creates(1, 1)));
    const { results } = await fixture.batches.applyUserBatch(
      createBatch(org, [
        { kind: 'create', externalId: 'a', attributes: person(10) },
        { kind: 'create', externalId: 'b', attributes: person(11, { email: 'PERSON.10@example.com' }) },
        { kind: 'create', externalId: 'c', attributes: person(12, { email: 'person.1@EXAMPLE.com' }) },
        { kind: 'create', externalId: 'd', attributes: person(13, { username: 'PERSON1' }) },
        { kind: 'create', externalId: 'e', attributes: person(14, { employeeIdentifier: 'E10' }) },
        { kind: 'create', externalId: 'f', attributes: person(15) },
      ]),
    );
    expect(results.map((r) => [r.externalId, r.outcome, r.code ?? null])).toEqual([
      ['a', 'created', null],
      ['b', 'conflict', 'DUPLICATE_EMAIL'],
      ['c', 'conflict', 'DUPLICATE_EMAIL'],
      ['d', 'conflict', 'DUPLICATE_USERNAME'],
      ['e', 'conflict', 'DUPLICATE_EMPLOYEE_IDENTIFIER'],
      ['f', 'created', null],
    ]);
    expect(results[2]!.reason).toBe('Another user already has the email person.1@example.com');
    expect(await userCount(org)).toBe(3);
  });

  it('writes a batch of new users without looking their keys up first', async () => {
    const org = await fixture.newOrganization();
    const statements = await fixture.queries.during(() =>
      fixture.batches.applyUserBatch(createBatch(org, creates(0, 100))),
    );
    expect(statements.filter((sql) => /^SELECT .* FROM [`"]?(users|user_links)\b/is.test(sql))).toEqual([]);
    expect(await fixture.rows('users', org)).toBe(100);
    expect(await fixture.rows('user_links', org)).toBe(100);
    expect(await fixture.rows('directory_events', org)).toBe(100);
  });

  it('plans new users again on what is stored when a key was taken since the import matched them', async () => {
    const org = await fixture.newOrganization();
    await fixture.batches.applyUserBatch(createBatch(org, creates(1, 1)));
    const taken = await fixture.batches.applyUserBatch(
      createBatch(org, [
        // Its email is stored: it fails, and its username stays free for the next user.
        { kind: 'create', externalId: 'a', attributes: person(2, { email: 'person.1@example.com' }) },
        { kind: 'create', externalId: 'b', attributes: person(3, { username: 'person2' }) },
      ]),
    );
    expect(taken.results.map((r) => [r.externalId, r.outcome, r.code ?? null])).toEqual([
      ['a', 'conflict', 'DUPLICATE_EMAIL'],
      ['b', 'created', null],
    ]);
    // Linked already, with keys that are all free: its user row would go in, its link not.
    const linked = await fixture.batches.applyUserBatch(
      createBatch(org, [{ kind: 'create', externalId: 'ext-1', attributes: person(4) }]),
    );
    expect(linked.results.map((r) => r.outcome)).toEqual(['updated']);
    // Nothing of either first attempt is left: two users, each with one link and one creation event, and the update.
    expect(await fixture.rows('users', org)).toBe(2);
    expect(await fixture.rows('user_links', org)).toBe(2);
    expect(await fixture.rows('directory_events', org)).toBe(3);
  });

  it('rejects an invalid user alone, saying which attribute is wrong', async () => {
    const org = await fixture.newOrganization();
    const { results } = await fixture.batches.applyUserBatch(
      createBatch(org, [
        { kind: 'create', externalId: 'bad', attributes: person(1, { email: 'not-an-email' }) },
        { kind: 'create', externalId: 'spacey', attributes: person(2, { username: 'has space' }) },
        { kind: 'create', externalId: 'good', attributes: person(3) },
      ]),
    );
    expect(results.map((r) => r.outcome)).toEqual(['invalid', 'invalid', 'created']);
    expect(results[0]!.reason).toBe('attributes.email: is not a valid email address');
    expect(results[1]!.reason).toBe('attributes.username: must not contain whitespace');
  });

  it('updates only changed attributes, suspends and reactivates, and records each change as an event', async () => {
    const org = await fixture.newOrganization();
    const [created] = (await fixture.batches.applyUserBatch(createBatch(org, creates(1, 1)))).results;
    const { results } = await fixture.batches.applyUserBatch(
      createBatch(org, [
        {
          kind: 'update',
          externalId: 'ext-1',
          attributes: { ...person(1), jobTitle: 'CTO', department: 'Board' },
        },
      ]),
    );
    expect(results[0]).toMatchObject({ outcome: 'updated', userId: created!.userId });
    expect(results[0]!.changes).toEqual({
      jobTitle: { from: null, to: 'CTO' },
      department: { from: 'Engineering', to: 'Board' },
    });
    const suspended = await fixture.batches.applyUserBatch(
      createBatch(org, [{ kind: 'suspend', externalId: 'ext-1' }]),
    );
    expect(suspended.results[0]!.outcome).toBe('suspended');
    const again = await fixture.batches.applyUserBatch(
      createBatch(org, [{ kind: 'suspend', externalId: 'ext-1' }]),
    );
    expect(again.results[0]!.outcome).toBe('unchanged');
    const reactivated = await fixture.batches.applyUserBatch(
      createBatch(org, [{ kind: 'reactivate', externalId: 'ext-1' }], {
        actor: 'scheduler',
        importJobId: 'job-9',
      }),
    );
    expect(reactivated.results[0]!.outcome).toBe('reactivated');

    const { directoryEvents, user } = dataOf(
      await fixture.as(org)<{
        directoryEvents: { type: string; actor: string; changes: unknown; importJob: { id: string } }[];
        user: { state: string; jobTitle: string };
      }>(
        `query ($id: ID!) {
          directoryEvents(userId: $id) { type actor changes importJob { id } }
          user(id: $id) { state jobTitle }
        }`,
        { id: created!.userId },
      ),
    );
    expect(user).toEqual({ state: 'ACTIVE', jobTitle: 'CTO' });
    expect(directoryEvents.map((e) => e.type)).toEqual([
      'USER_REACTIVATED',
      'USER_SUSPENDED',
      'USER_UPDATED',
      'USER_CREATED',
    ]);
    expect(directoryEvents[0]).toMatchObject({
      actor: 'scheduler',
      importJob: { id: 'job-9' },
      changes: { state: { from: 'SUSPENDED', to: 'ACTIVE' } },
    });
    expect(directoryEvents[3]!.changes).toMatchObject({ email: { from: null, to: 'person.1@example.com' } });
  });

  it('answers a dry run as it would apply the batch, and writes no user, link or event', async () => {
    const org = await fixture.newOrganization();
    const [created] = (await fixture.batches.applyUserBatch(createBatch(org, creates(1, 1)))).results;
    const dryRun = await fixture.batches.applyUserBatch({
      ...createBatch(org, [
        ...creates(2, 2),
        { kind: 'update', externalId: 'ext-1', attributes: { ...person(1), department: 'Board' } },
        { kind: 'suspend', externalId: 'ext-1' },
      ]),
      dryRun: true,
    });
    expect(dryRun.results.map((r) => r.outcome)).toEqual(['created', 'created', 'updated', 'suspended']);
    expect(dryRun.results[2]!.changes).toEqual({ department: { from: 'Engineering', to: 'Board' } });
    expect(dryRun.results[3]!.changes).toEqual({ state: { from: 'ACTIVE', to: 'SUSPENDED' } });
    expect(await userCount(org)).toBe(1);
    const { directoryEvents, user } = dataOf(
      await fixture.as(org)<{
        directoryEvents: { type: string }[];
        user: { state: string; department: string };
      }>('query ($id: ID!) { directoryEvents { type } user(id: $id) { state department } }', {
        id: created!.userId,
      }),
    );
    expect(directoryEvents.map((e) => e.type)).toEqual(['USER_CREATED']);
    expect(user).toEqual({ state: 'ACTIVE', department: 'Engineering' });
  });

  it('links a user matched by email to the connector, so later batches find it by external id', async () => {
    const org = await fixture.newOrganization();
    const [created] = (await fixture.batches.applyUserBatch(createBatch(org, creates(1, 1)))).results;
    const other = { connectorId: 'connector-2' };
    const linked = await fixture.batches.applyUserBatch(
      createBatch(
        org,
        [{ kind: 'update', externalId: 'hr-77', userId: created!.userId!, attributes: { lastname: 'New' } }],
        other,
      ),
    );
    expect(linked.results[0]).toMatchObject({ outcome: 'updated', userId: created!.userId });
    const byLink = await fixture.batches.applyUserBatch(
      createBatch(org, [{ kind: 'suspend', externalId: 'hr-77' }], other),
    );
    expect(byLink.results[0]).toMatchObject({ outcome: 'suspended', userId: created!.userId });
    const unknown = await fixture.batches.applyUserBatch(
      createBatch(org, [{ kind: 'suspend', externalId: 'nobody' }], other),
    );
    expect(unknown.results[0]).toMatchObject({ outcome: 'conflict', code: 'USER_NOT_FOUND' });
  });

  it('matches provider users by link first, then by email, case-insensitively', async () => {
    const org = await fixture.newOrganization();
    const { results } = await fixture.batches.applyUserBatch(createBatch(org, creates(1, 2)));
    const matches = await fixture.batches.matchUsers({
      organizationId: org,
      connectorId: 'connector-1',
      candidates: [
        { externalId: 'ext-1', email: 'changed@example.com' },
        { externalId: 'hr-9', email: 'PERSON.2@example.COM' },
        { externalId: 'hr-10', email: 'nobody@example.com' },
        { externalId: 'hr-11', email: null },
      ],
    });
    expect(matches).toEqual([
      { userId: results[0]!.userId, state: 'ACTIVE', matchedBy: 'link' },
      { userId: results[1]!.userId, state: 'ACTIVE', matchedBy: 'email' },
      null,
      null,
    ]);
    const elsewhere = await fixture.batches.matchUsers({
      organizationId: await fixture.newOrganization(),
      connectorId: 'connector-1',
      candidates: [{ externalId: 'ext-1', email: 'person.1@example.com' }],
    });
    expect(elsewhere).toEqual([null]);
  });

  it('answers fingerprints of linked users, and falls back to the email when a link lost its user', async () => {
    const org = await fixture.newOrganization();
    const { results } = await fixture.batches.applyUserBatch(createBatch(org, creates(1, 2)));
    const names: AttributeName[] = ['email', 'firstname', 'addresses'];
    // A link left behind by a user removed from the directory by hand.
    await fixture.directory.dataSource.query('UPDATE user_links SET userId = ? WHERE externalId = ?', [
      'gone',
      'ext-2',
    ]);
    const matches = await fixture.batches.matchUsers({
      organizationId: org,
      connectorId: 'connector-1',
      candidates: [
        { externalId: 'ext-1', email: null },
        { externalId: 'ext-2', email: 'person.2@example.com' },
      ],
      fingerprintOf: names,
    });
    expect(matches).toEqual([
      {
        userId: results[0]!.userId,
        state: 'ACTIVE',
        matchedBy: 'link',
        fingerprint: attributeFingerprint(person(1), names),
      },
      {
        userId: results[1]!.userId,
        state: 'ACTIVE',
        matchedBy: 'email',
        fingerprint: attributeFingerprint(person(2), names),
      },
    ]);
  });

  it('never touches a user of another organization named by id', async () => {
    const owner = await fixture.newOrganization();
    const intruder = await fixture.newOrganization();
    const [victim] = (await fixture.batches.applyUserBatch(createBatch(owner, creates(1, 1)))).results;
    const { results } = await fixture.batches.applyUserBatch(
      createBatch(intruder, [{ kind: 'suspend', externalId: 'x', userId: victim!.userId! }]),
    );
    expect(results[0]).toMatchObject({ outcome: 'conflict', code: 'USER_NOT_FOUND' });
    const { user } = dataOf(
      await fixture.as(owner)<{ user: { state: string } }>('query ($id: ID!) { user(id: $id) { state } }', {
        id: victim!.userId,
      }),
    );
    expect(user.state).toBe('ACTIVE');
  });

  it('stops creating at the license limit and says why', async () => {
    const org = await fixture.newOrganization();
    dataOf(
      await fixture.as(org)('mutation { updateOrganizationSettings(input: { userLicenseLimit: 2 }) { id } }'),
    );
    const { results } = await fixture.batches.applyUserBatch(createBatch(org, creates(1, 3)));
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'conflict']);
    expect(results[2]).toMatchObject({
      code: 'LICENSE_LIMIT',
      reason: "The organization's user license limit (2) is reached",
    });
  });

  it('refuses a malformed envelope and an unknown organization as a whole', async () => {
    await expect(
      fixture.batches.applyUserBatch({ organizationId: '', connectorId: 'c', actor: 'a', changes: [] }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('organizationId') });
    await expect(
      fixture.batches.applyUserBatch(createBatch('no-such-org', creates(1, 1))),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Organization no-such-org was not found' });
  });
});
