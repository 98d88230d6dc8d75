import {
  normalizeAttribute,
  userChangeSchema,
  type AttributeChanges,
  type ChangeResult,
  type ConflictCode,
  type AttributeName,
  type UserAttributes,
  type UserChange,
} from '@uif/directory-client';
import { describeZodIssues } from '@uif/runtime';
import { v7 as uuidv7 } from 'uuid';
import { DirectoryEventType } from '../directory-event/directory-event.entity.js';
import type { User } from '../user/user.entity.js';
import { PasswordStatus, UserState } from '../user/user.types.js';

/** The unique keys of a user within its organization. */
export type UniqueKey = 'email' | 'usernameKey' | 'employeeIdentifier';
const UNIQUE_KEYS: UniqueKey[] = ['email', 'usernameKey', 'employeeIdentifier'];
/** The owner of a unique value a user gave up earlier in the batch. */
const RELEASED = '(released in this batch)';
const CONFLICT_OF: Record<UniqueKey, { code: ConflictCode; what: string }> = {
  email: { code: 'DUPLICATE_EMAIL', what: 'email' },
  usernameKey: { code: 'DUPLICATE_USERNAME', what: 'username' },
  employeeIdentifier: { code: 'DUPLICATE_EMPLOYEE_IDENTIFIER', what: 'employee identifier' },
};

/** What the database holds that the batch touches, loaded before planning. */
export interface BatchState {
  /** externalId → userId, for this connector. */
  links: Map<string, string>;
  /** Users the batch targets, by id. */
  users: Map<string, User>;
  /** For each unique key: value → id of the user who holds it. */
  owners: Record<UniqueKey, Map<string, string>>;
  userCount: number;
  userLicenseLimit: number | null;
}

export interface PlannedEvent {
  type: DirectoryEventType;
  userId: string;
  changes: AttributeChanges | null;
}

/** Everything the batch writes, decided before the first write. */
export interface BatchPlan {
  results: ChangeResult[];
  inserts: User[];
  /** userId → the columns that changed. */
  updates: Map<string, Partial<User>>;
  links: { externalId: string; userId: string }[];
  events: PlannedEvent[];
}

export interface BatchContext {
  organizationId: string;
  connectorId: string;
  importJobId: string | null;
  now: Date;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function uniqueValue(user: Pick<User, UniqueKey>, key: UniqueKey): string | null {
  const value = user[key];
  return value === null || value === '' ? null : value;
}

/**
 * Decides, change by change and in order, what a batch does to the directory. Pure: it reads and
 * updates `state` (so later changes see earlier ones) and returns the writes to make.
 */
export function planBatch(rawChanges: unknown[], state: BatchState, context: BatchContext): BatchPlan {
  const plan: BatchPlan = { results: [], inserts: [], updates: new Map(), links: [], events: [] };
  const createdHere = new Set<string>();

  const conflictFor = (candidate: Pick<User, UniqueKey>, userId: string | null): ChangeResult | null => {
    for (const key of UNIQUE_KEYS) {
      const value = uniqueValue(candidate, key);
      const owner = value === null ? undefined : state.owners[key].get(value);
      if (owner !== undefined && owner !== userId) {
        const { code, what } = CONFLICT_OF[key];
        const reason =
          owner === RELEASED
            ? `The ${what} ${value} was given up by another user in this same batch: it can be taken on the next import`
            : `Another user already has the ${what} ${value}`;
        return { externalId: null, outcome: 'conflict', code, reason };
      }
    }
    return null;
  };

  const claimKeys = (before: Pick<User, UniqueKey> | null, after: User): void => {
    for (const key of UNIQUE_KEYS) {
      const old = before ? uniqueValue(before, key) : null;
      // Held until the batch is written: the database checks each row as it is written, and a
      // user taking it in this batch could be written before the one giving it up.
      if (old !== null && state.owners[key].get(old) === after.id) state.owners[key].set(old, RELEASED);
      const value = uniqueValue(after, key);
      if (value !== null) state.owners[key].set(value, after.id);
    }
  };

  const link = (externalId: string, userId: string): void => {
    if (state.links.get(externalId) === userId) return;
    state.links.set(externalId, userId);
    plan.links.push({ externalId, userId });
  };

  const recordUpdate = (user: User, changes: Partial<User>): void => {
    plan.updates.set(user.id, { ...plan.updates.get(user.id), ...changes, updatedAt: context.now });
  };

  const create = (change: Extract<UserChange, { kind: 'create' }>): ChangeResult => {
    if (state.userLicenseLimit !== null && state.userCount >= state.userLicenseLimit) {
      return {
        externalId: change.externalId,
        outcome: 'conflict',
        code: 'LICENSE_LIMIT',
        reason: `The organization's user license limit (${state.userLicenseLimit}) is reached`,
      };
    }
    const user = newUser(change.attributes, context);
    const conflict = conflictFor(user, null);
    if (conflict) return { ...conflict, externalId: change.externalId };
    state.users.set(user.id, user);
    state.userCount += 1;
    createdHere.add(user.id);
    claimKeys(null, user);
    link(change.externalId, user.id);
    plan.inserts.push(user);
    plan.events.push({
      type: DirectoryEventType.USER_CREATED,
      userId: user.id,
      changes: initialValues(user),
    });
    return { externalId: change.externalId, outcome: 'created', userId: user.id };
  };

  const update = (user: User, externalId: string, attributes: Partial<UserAttributes>): ChangeResult => {
    const changes: AttributeChanges = {};
    const columns: Partial<User> = {};
    for (const [name, raw] of Object.entries(attributes) as [AttributeName, unknown][]) {
      if (raw === undefined) continue;
      const to = normalizeAttribute(name, raw);
      if (sameValue(user[name], to)) continue;
      changes[name] = { from: user[name], to };
      Object.assign(columns, { [name]: to });
    }
    if (columns.username !== undefined) columns.usernameKey = columns.username.toLowerCase();
    const after = { ...user, ...columns } as User;
    const conflict = conflictFor(after, user.id);
    if (conflict) return { ...conflict, externalId, userId: user.id };
    link(externalId, user.id);
    if (Object.keys(changes).length === 0) return { externalId, outcome: 'unchanged', userId: user.id };
    claimKeys(user, after);
    Object.assign(user, columns, { updatedAt: context.now });
    recordUpdate(user, columns);
    plan.events.push({ type: DirectoryEventType.USER_UPDATED, userId: user.id, changes });
    return { externalId, outcome: 'updated', userId: user.id, changes };
  };

  const setState = (user: User, externalId: string, to: UserState): ChangeResult => {
    link(externalId, user.id);
    const suspending = to === UserState.SUSPENDED;
    if (user.state === to || (!suspending && user.state !== UserState.SUSPENDED)) {
      return { externalId, outcome: 'unchanged', userId: user.id };
    }
    const changes = { state: { from: user.state, to } };
    user.state = to;
    recordUpdate(user, { state: to });
    plan.events.push({
      type: suspending ? DirectoryEventType.USER_SUSPENDED : DirectoryEventType.USER_REACTIVATED,
      userId: user.id,
      changes,
    });
    return { externalId, outcome: suspending ? 'suspended' : 'reactivated', userId: user.id, changes };
  };

  /**
   * A create of a user this same job created in an earlier batch: the job re-applies a batch whose
   * answer it lost (its worker died, or its database failed, after the directory had committed).
   * It gets the first answer again, so its report counts the user created, not unchanged.
   */
  const replayedCreate = (user: User, result: ChangeResult): boolean =>
    result.outcome === 'unchanged' &&
    context.importJobId !== null &&
    user.createdByImportJobId === context.importJobId &&
    !createdHere.has(user.id);

  for (const raw of rawChanges) {
    const parsed = userChangeSchema.safeParse(raw);
    if (!parsed.success) {
      const externalId = (raw as { externalId?: unknown } | null)?.externalId;
      plan.results.push({
        externalId: typeof externalId === 'string' ? externalId : null,
        outcome: 'invalid',
        reason: describeZodIssues(parsed.error),
      });
      continue;
    }
    const change = parsed.data;
    const linkedId = state.links.get(change.externalId);
    if (change.kind === 'create' && linkedId === undefined) {
      plan.results.push(create(change));
      continue;
    }
    const targetId = linkedId ?? (change.kind === 'create' ? undefined : change.userId);
    const user = targetId === undefined ? undefined : state.users.get(targetId);
    if (!user) {
      plan.results.push({
        externalId: change.externalId,
        outcome: 'conflict',
        code: 'USER_NOT_FOUND',
        reason: `No directory user matches external id ${change.externalId}${targetId ? ` (user ${targetId})` : ''}`,
      });
      continue;
    }
    if (change.kind === 'create' || change.kind === 'update') {
      const result = update(user, change.externalId, change.attributes);
      plan.results.push(
        change.kind === 'create' && replayedCreate(user, result) ? { ...result, outcome: 'created' } : result,
      );
    } else {
      const to = change.kind === 'suspend' ? UserState.SUSPENDED : UserState.ACTIVE;
      plan.results.push(setState(user, change.externalId, to));
    }
  }
  return plan;
}

function newUser(attributes: UserAttributes, context: BatchContext): User {
  const user = {
    id: uuidv7(),
    organizationId: context.organizationId,
    state: UserState.ACTIVE,
    passwordStatus: PasswordStatus.PENDING,
    importedFromConnectorId: context.connectorId,
    createdByImportJobId: context.importJobId,
    createdAt: context.now,
    updatedAt: context.now,
  } as User;
  // Assigned in place: a temporary object per attribute cost more than the rest of planning.
  const fields = user as unknown as Record<AttributeName, unknown>;
  for (const name of ATTRIBUTE_NAMES) fields[name] = normalizeAttribute(name, attributes[name]);
  user.usernameKey = user.username.toLowerCase();
  return user;
}

const ATTRIBUTE_NAMES: AttributeName[] = [
  'email',
  'username',
  'firstname',
  'lastname',
  'middlename',
  'displayname',
  'jobTitle',
  'department',
  'costCenter',
  'employeeType',
  'employeeIdentifier',
  'organization',
  'addresses',
  'phoneNumbers',
];

function initialValues(user: User): AttributeChanges {
  const changes: AttributeChanges = {};
  for (const name of ATTRIBUTE_NAMES) {
    const value = user[name];
    if (value !== null && !(Array.isArray(value) && value.length === 0))
      changes[name] = { from: null, to: value };
  }
  return changes;
}

/** Every value of a unique key the batch wants to set: what must be looked up before planning. */
export function wantedUniqueValues(rawChanges: unknown[]): Record<UniqueKey, Set<string>> {
  const wanted: Record<UniqueKey, Set<string>> = {
    email: new Set(),
    usernameKey: new Set(),
    employeeIdentifier: new Set(),
  };
  for (const raw of rawChanges) {
    const attributes = (raw as { attributes?: Partial<Record<string, unknown>> } | null)?.attributes;
    if (!attributes) continue;
    if (typeof attributes.email === 'string') wanted.email.add(attributes.email.trim().toLowerCase());
    if (typeof attributes.username === 'string') wanted.usernameKey.add(attributes.username.toLowerCase());
    if (typeof attributes.employeeIdentifier === 'string' && attributes.employeeIdentifier !== '') {
      wanted.employeeIdentifier.add(attributes.employeeIdentifier);
    }
  }
  return wanted;
}
