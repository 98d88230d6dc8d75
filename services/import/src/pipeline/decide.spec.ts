import type { UserMatch } from '@uif/directory-client';
import type { MappedUser } from '@uif/mapping';
import { describe, expect, it } from 'vitest';
import { decide, type ImportOptions } from './decide.js';

const user = (overrides: Partial<MappedUser> = {}): MappedUser => ({
  externalId: 'e1',
  attributes: { email: 'a@x.io', username: 'a' },
  status: 'Active',
  statusClass: 'active',
  errors: [],
  ...overrides,
});
const active: UserMatch = { userId: 'u1', state: 'ACTIVE', matchedBy: 'link' };
const suspended: UserMatch = { userId: 'u1', state: 'SUSPENDED', matchedBy: 'link' };
const both: ImportOptions = { create: true, update: true, allowUserReactivation: false, selected: null };

describe('decide', () => {
  it('creates a new active user, and only with USER_CREATE', () => {
    expect(decide(user(), null, both)).toMatchObject({ kind: 'plan', action: 'create', userId: null });
    expect(decide(user(), null, { ...both, create: false })).toEqual({
      kind: 'final',
      outcome: 'SKIPPED',
      detail: 'Not in the directory, and this import does not create users',
      userId: null,
    });
  });

  it('does not create a new user whose status is inactive or unknown', () => {
    expect(decide(user({ status: 'Leave', statusClass: 'inactive' }), null, both)).toMatchObject({
      outcome: 'SKIPPED',
      detail: 'Status "Leave" does not count as active: new users are created only when active',
    });
    expect(decide(user({ status: 'Contractor', statusClass: 'unknown' }), null, both)).toMatchObject({
      outcome: 'SKIPPED',
    });
  });

  it('updates, suspends, and reactivates only when allowed', () => {
    expect(decide(user(), active, both)).toMatchObject({ action: 'update', userId: 'u1' });
    expect(decide(user({ statusClass: 'inactive' }), active, both)).toMatchObject({ action: 'suspend' });
    expect(decide(user(), suspended, both)).toMatchObject({ action: 'update' });
    expect(decide(user(), suspended, { ...both, allowUserReactivation: true })).toMatchObject({
      action: 'reactivate',
    });
    expect(
      decide(user({ statusClass: 'unknown' }), suspended, { ...both, allowUserReactivation: true }),
    ).toMatchObject({
      action: 'update',
    });
  });

  it('skips known users without USER_UPDATE, and with a selection', () => {
    expect(decide(user(), active, { ...both, update: false })).toMatchObject({
      outcome: 'SKIPPED',
      detail: 'Already in the directory, and this import does not update users',
      userId: 'u1',
    });
    const selection = { ...both, update: false, selected: new Set(['e1']) };
    expect(decide(user(), active, selection)).toMatchObject({ outcome: 'SKIPPED', userId: 'u1' });
  });

  it('creates only the selected new users', () => {
    const selection = { ...both, update: false, selected: new Set(['e2']) };
    expect(decide(user(), null, selection)).toMatchObject({
      outcome: 'SKIPPED',
      detail: 'Not among the selected users',
    });
    expect(decide(user({ externalId: 'e2' }), null, selection)).toMatchObject({ action: 'create' });
  });

  it('fails a user whose mapping failed, with the reasons', () => {
    expect(decide(user({ errors: ['email: is required', 'username: is required'] }), null, both)).toEqual({
      kind: 'final',
      outcome: 'FAILED',
      detail: 'email: is required; username: is required',
      userId: null,
    });
  });

  it('in a selection, fails a bad user only when it was picked', () => {
    const selection = { ...both, update: false, selected: new Set(['e2']) };
    const bad = { errors: ['email: is required'] };
    expect(decide(user(bad), null, selection)).toMatchObject({
      outcome: 'SKIPPED',
      detail: 'Not among the selected users',
    });
    expect(decide(user({ ...bad, externalId: null }), null, selection)).toMatchObject({ outcome: 'SKIPPED' });
    expect(decide(user({ ...bad, externalId: 'e2' }), null, selection)).toMatchObject({ outcome: 'FAILED' });
  });
});

describe('decide, when the directory already holds the mapped attributes', () => {
  it('writes nothing for an unchanged user, nor for an inactive one already suspended', () => {
    expect(decide(user(), active, both, true)).toEqual({
      kind: 'final',
      outcome: 'UNCHANGED',
      detail: null,
      userId: 'u1',
    });
    expect(decide(user({ statusClass: 'inactive' }), suspended, both, true)).toMatchObject({
      outcome: 'UNCHANGED',
    });
  });

  it('still suspends an active user and reactivates a suspended one', () => {
    expect(decide(user({ statusClass: 'inactive' }), active, both, true)).toMatchObject({
      action: 'suspend',
    });
    expect(decide(user(), suspended, { ...both, allowUserReactivation: true }, true)).toMatchObject({
      action: 'reactivate',
    });
  });
});
