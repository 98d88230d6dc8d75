import type { ImportJob } from '../import-job/import-job.entity.js';
import { COUNT_OF_OUTCOME } from '../import-job/import-job.types.js';
import type { StoredResult } from '../results/import-result.entity.js';
import type { PlannedChange } from './import-plan.entity.js';

/** The result of a planned change, once its outcome is known. */
export function resultOfPlanned(
  change: PlannedChange,
  outcome: Pick<StoredResult, 'outcome' | 'detail' | 'userId' | 'changes'>,
): StoredResult {
  const { seq, externalId, email, username } = change;
  return { seq, externalId, email, username, ...outcome };
}

/** Counts stored results in the job's progress: each user once, by its outcome. */
export function countOutcomes(job: ImportJob, results: StoredResult[]): void {
  for (const result of results) job.counts[COUNT_OF_OUTCOME[result.outcome]] += 1;
  job.processed += results.length;
}
