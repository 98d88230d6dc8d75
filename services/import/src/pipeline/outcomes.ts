import type { ChangeResult } from '@uif/directory-client';
import { ImportOutcome, type AttributeChange } from '../import-job/import-job.types.js';

export interface AppliedOutcome {
  outcome: ImportOutcome;
  detail: string | null;
  userId: string | null;
  /** Each attribute changed (an update, then the state), as the directory answered. */
  changes: AttributeChange[];
}

const changedNames = (result: ChangeResult | undefined) => Object.keys(result?.changes ?? {});

/**
 * One user's outcome from the directory's answers to its changes (an attribute update, then a
 * suspension or reactivation when planned): a refusal fails it, except the license limit, which skips it.
 */
export function outcomeOf(results: ChangeResult[]): AppliedOutcome {
  const refused = results.find((r) => r.outcome === 'conflict' || r.outcome === 'invalid');
  const userId = results.find((r) => r.userId)?.userId ?? null;
  if (refused) {
    const outcome = refused.code === 'LICENSE_LIMIT' ? ImportOutcome.SKIPPED : ImportOutcome.FAILED;
    const detail = refused.reason ?? refused.code ?? 'Refused by the directory';
    return { outcome, detail, userId, changes: [] };
  }
  const { outcome, detail } = outcomeOfChanges(results);
  // A creation's "changes" are every attribute from nothing: the result says CREATED instead.
  const changes = outcome === ImportOutcome.CREATED ? [] : attributeChanges(results);
  return { outcome, detail, userId, changes };
}

function outcomeOfChanges(results: ChangeResult[]): Pick<AppliedOutcome, 'outcome' | 'detail'> {
  const changed = results.flatMap((r) => changedNames(r)).filter((name) => name !== 'state');
  const detail = changed.length > 0 ? `Changed: ${[...new Set(changed)].join(', ')}` : null;
  if (results.some((r) => r.outcome === 'created')) return { outcome: ImportOutcome.CREATED, detail: null };
  if (results.some((r) => r.outcome === 'suspended')) return { outcome: ImportOutcome.SUSPENDED, detail };
  if (results.some((r) => r.outcome === 'reactivated')) return { outcome: ImportOutcome.REACTIVATED, detail };
  if (results.some((r) => r.outcome === 'updated')) return { outcome: ImportOutcome.UPDATED, detail };
  return { outcome: ImportOutcome.UNCHANGED, detail: null };
}

function attributeChanges(results: ChangeResult[]): AttributeChange[] {
  return results.flatMap((r) =>
    Object.entries(r.changes ?? {}).map(([attribute, { from, to }]) => ({ attribute, from, to })),
  );
}
