import type { UserAttributes, UserMatch } from '@uif/directory-client';
import type { MappedUser } from '@uif/mapping';
import type { PlannedAction } from './import-plan.entity.js';

export interface ImportOptions {
  create: boolean;
  update: boolean;
  allowUserReactivation: boolean;
  /** Only these new users ("select specific new users"); null: every one. */
  selected: ReadonlySet<string> | null;
}

/** What to do with one provider user: a final outcome now, or a change to apply. */
export type Decision =
  | {
      kind: 'final';
      outcome: 'SKIPPED' | 'FAILED' | 'UNCHANGED';
      detail: string | null;
      userId: string | null;
    }
  | { kind: 'plan'; action: PlannedAction; userId: string | null; attributes: Partial<UserAttributes> };

const skip = (detail: string, userId: string | null = null): Decision => ({
  kind: 'final',
  outcome: 'SKIPPED',
  detail,
  userId,
});

/**
 * The import rules for one provider user, given the directory user it matched (or none) and whether
 * that user already holds the mapped attributes (`current`). Pure: deciding is kept apart from
 * applying, so every decision can be counted before anything is written.
 */
export function decide(
  user: MappedUser,
  match: UserMatch | null,
  options: ImportOptions,
  current = false,
): Decision {
  if (user.errors.length > 0 || !user.externalId) {
    // In an import of picked users, a bad user nobody picked is not this import's failure.
    const picked = user.externalId !== null && options.selected?.has(user.externalId);
    if (options.selected && !picked) return skip('Not among the selected users', match?.userId ?? null);
    return {
      kind: 'final',
      outcome: 'FAILED',
      detail: user.errors.join('; '),
      userId: match?.userId ?? null,
    };
  }
  if (!match) return decideNewUser(user, options);
  const userId = match.userId;
  if (options.selected)
    return skip('Already in the directory: only the selected new users are imported', userId);
  if (!options.update) return skip('Already in the directory, and this import does not update users', userId);
  const unchanged: Decision = { kind: 'final', outcome: 'UNCHANGED', detail: null, userId };
  if (user.statusClass === 'inactive')
    return current && match.state === 'SUSPENDED' ? unchanged : plan('suspend', user, userId);
  if (match.state === 'SUSPENDED' && user.statusClass === 'active' && options.allowUserReactivation) {
    return plan('reactivate', user, userId);
  }
  // Nothing to write: the directory holds these attributes already (the fingerprints agree).
  return current ? unchanged : plan('update', user, userId);
}

function decideNewUser(user: MappedUser, options: ImportOptions): Decision {
  if (!options.create) return skip('Not in the directory, and this import does not create users');
  if (options.selected && !options.selected.has(user.externalId!))
    return skip('Not among the selected users');
  if (user.statusClass !== 'active') {
    return skip(
      `Status ${quoteStatus(user.status)} does not count as active: new users are created only when active`,
    );
  }
  return plan('create', user, null);
}

function plan(action: PlannedAction, user: MappedUser, userId: string | null): Decision {
  return { kind: 'plan', action, userId, attributes: user.attributes };
}

/** The status as the detail quotes it: a provider's 70 KB "status" must not overflow the results. */
function quoteStatus(status: string | null): string {
  const quoted = JSON.stringify(status);
  return quoted.length > 100 ? `${quoted.slice(0, 100)}…"` : quoted;
}
