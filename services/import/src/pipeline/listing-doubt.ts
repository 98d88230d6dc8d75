import type { ImportJob } from '../import-job/import-job.entity.js';

/** What the fetch learned of the listing, as it decides each group. */
export interface Decided {
  seq: number;
  suspensions: number;
  /** The external ids the listing had. */
  listed: Set<string>;
  /** Listed users without an external id: nobody can tell whom they stand for. */
  unidentified: number;
}

/** Why a listing may not be the application's every user, or null when it surely is. */
export function doubtAboutListing(
  job: Pick<ImportJob, 'query' | 'selectedExternalIds' | 'total' | 'counts'>,
  decided: Pick<Decided, 'unidentified'>,
): string | null {
  if (job.query) return 'the listing was filtered (query)';
  if (job.selectedExternalIds) return 'only selected users were read';
  if (decided.unidentified > 0) return `${decided.unidentified} listed users had no external id`;
  if (job.total !== null && job.total !== job.counts.fetched) {
    return `the application's total (${job.total}) disagrees with the ${job.counts.fetched} users read`;
  }
  return null;
}
