import type { ImportJob } from '../import-job/import-job.entity.js';
import { COUNT_OF_OUTCOME } from '../import-job/import-job.types.js';
import { ImportResultRow } from '../results/import-result.entity.js';
import type { PlannedChange } from './import-plan.entity.js';

type ResultFields = Pick<
  ImportResultRow,
  'seq' | 'externalId' | 'email' | 'username' | 'outcome' | 'detail' | 'userId'
> &
  Partial<Pick<ImportResultRow, 'changes'>>;

/** A result row of the job. */
export function resultRow(job: ImportJob, fields: ResultFields): ImportResultRow {
  return Object.assign(new ImportResultRow(), {
    jobId: job.id,
    organizationId: job.organizationId,
    changes: null,
    ...fields,
  });
}

/** The result row of a planned change, once its outcome is known. */
export function resultOfPlanned(
  job: ImportJob,
  change: PlannedChange,
  outcome: Pick<ImportResultRow, 'outcome' | 'detail' | 'userId' | 'changes'>,
): ImportResultRow {
  const { seq, externalId, email, username } = change;
  return resultRow(job, { seq, externalId, email, username, ...outcome });
}

/** Counts stored results in the job's progress: each user once, by its outcome. */
export function countOutcomes(job: ImportJob, rows: ImportResultRow[]): void {
  for (const row of rows) job.counts[COUNT_OF_OUTCOME[row.outcome]] += 1;
  job.processed += rows.length;
}
