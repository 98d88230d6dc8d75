import type { UserChange } from '@uif/directory-client';
import { describe, expect, it } from 'vitest';
import type { User } from '../user/user.entity.js';
import { UserState } from '../user/user.types.js';
import { planBatch, wantedUniqueValues, type BatchState } from './user-batch.planner.js';

const context = {
  organizationId: 'org',
  connectorId: 'c',
  importJobId: 'job',
  now: new Date('2026-01-01T00:00:00Z'),
};

function emptyState(overrides: Partial<BatchState> = {}): BatchState {
  return {
    links: new Map(),
    users: new Map(),
    owners: { email: new Map(), usernameKey: new Map(), employeeIdentifier: new Map() },
    userCount: 0,
    userLicenseLimit: null,
    ...overrides,
  };
}

const create = (externalId: string, email: string, username = externalId): UserChange => ({
  kind: 'create',
  externalId,
  attributes: { email, username },
});

describe('planBatch', () => {
  it('creates users active with a pending password, linked to the connector and the job', () => {
    const plan = planBatch([create('1', 'Ann@Example.com', 'ann')], emptyState(), context);
    expect(plan.results).toEqual([{ externalId: '1', outcome: 'created', userId: plan.inserts[0]!.id }]);
    expect(plan.inserts[0]).toMatchObject({
      email: 'ann@example.com',
      usernameKey: 'ann',
      state: 'ACTIVE',
      passwordStatus: 'PENDING',
      importedFromConnectorId: 'c',
      createdByImportJobId: 'job',
      addresses: [],
      employeeIdentifier: null,
    });
    expect(plan.links).toEqual([{ externalId: '1', userId: plan.inserts[0]!.id }]);
    expect(plan.events[0]!.changes).toEqual({
      email: { from: null, to: 'ann@example.com' },
      username: { from: null, to: 'ann' },
    });
  });

  it('treats the same external id twice in one batch as a create then an update', () => {
    const plan = planBatch([create('1', 'a@x.io', 'a'), create('1', 'a@x.io', 'a')], emptyState(), context);
    expect(plan.results.map((r) => r.outcome)).toEqual(['created', 'unchanged']);
    expect(plan.inserts).toHaveLength(1);
  });

  it('answers a create this job already applied (a batch re-applied after a crash) as created again', () => {
    const user = {
      id: 'u1',
      state: UserState.ACTIVE,
      email: 'a@x.io',
      username: 'a',
      usernameKey: 'a',
      createdByImportJobId: 'job',
    } as User;
    const state = emptyState({ links: new Map([['1', 'u1']]), users: new Map([['u1', user]]) });
    const plan = planBatch([create('1', 'a@x.io', 'a')], state, context);
    expect(plan.results).toEqual([{ externalId: '1', outcome: 'created', userId: 'u1' }]);
    expect(plan.inserts).toEqual([]);
    expect(plan.events).toEqual([]);
    const otherJob = planBatch([create('1', 'a@x.io', 'a')], state, { ...context, importJobId: 'job-2' });
    expect(otherJob.results[0]!.outcome).toBe('unchanged');
  });

  it('refuses a second user with the same email, whatever its case', () => {
    const plan = planBatch([create('1', 'a@x.io', 'a'), create('2', 'A@X.IO', 'b')], emptyState(), context);
    expect(plan.results[1]).toMatchObject({ outcome: 'conflict', code: 'DUPLICATE_EMAIL' });
  });

  it('keeps a username given up in a batch from being taken in the same batch', () => {
    const changes: UserChange[] = [
      create('1', 'a@x.io', 'ann'),
      { kind: 'update', externalId: '1', attributes: { username: 'ann2' } },
      create('2', 'b@x.io', 'ann'),
    ];
    const plan = planBatch(changes, emptyState(), context);
    expect(plan.results.map((r) => r.outcome)).toEqual(['created', 'updated', 'conflict']);
    expect(plan.results[2]).toMatchObject({
      reason:
        'The username ann was given up by another user in this same batch: it can be taken on the next import',
    });
    expect(plan.inserts.map((user) => user.usernameKey)).toEqual(['ann2']);
  });

  it('does not count empty employee identifiers as duplicates', () => {
    const changes: UserChange[] = [
      {
        kind: 'create',
        externalId: '1',
        attributes: { email: 'a@x.io', username: 'a', employeeIdentifier: '' },
      },
      {
        kind: 'create',
        externalId: '2',
        attributes: { email: 'b@x.io', username: 'b', employeeIdentifier: '' },
      },
    ];
    expect(planBatch(changes, emptyState(), context).results.map((r) => r.outcome)).toEqual([
      'created',
      'created',
    ]);
  });

  it('reactivates only suspended users', () => {
    const user = { id: 'u1', state: UserState.ACTIVE, email: 'a@x.io', usernameKey: 'a' } as User;
    const state = emptyState({ links: new Map([['1', 'u1']]), users: new Map([['u1', user]]) });
    const plan = planBatch([{ kind: 'reactivate', externalId: '1' }], state, context);
    expect(plan.results[0]!.outcome).toBe('unchanged');
    expect(plan.updates.size).toBe(0);
  });

  it('collects the unique values a batch wants, normalized as they are stored', () => {
    const wanted = wantedUniqueValues([
      create('1', ' Ann@X.io ', 'Ann'),
      { kind: 'suspend', externalId: '2' },
      null,
    ]);
    expect([...wanted.email]).toEqual(['ann@x.io']);
    expect([...wanted.usernameKey]).toEqual(['ann']);
  });
});
