import type { ImportJob } from '../import-job/import-job.entity.js';
import {
  RESULTS_LINK_TTL_MS,
  signResultsToken,
  verifyResultsToken,
  type ResultsTokenClaims,
} from './download-link.js';

/** The public path the gateway serves results downloads under. */
export const RESULTS_DOWNLOAD_PATH = '/import-results';

/** Signed links to a finished job's results CSV: usable without the API key for 7 days after the job. */
export class ResultsLinks {
  constructor(
    private readonly publicUrl: string,
    private readonly secret: string,
  ) {}

  url(job: Pick<ImportJob, 'id' | 'organizationId' | 'finishedAt'>): string | null {
    if (!job.finishedAt) return null;
    const token = signResultsToken(
      {
        jobId: job.id,
        organizationId: job.organizationId,
        expiresAt: new Date(job.finishedAt.getTime() + RESULTS_LINK_TTL_MS),
      },
      this.secret,
    );
    return new URL(`${RESULTS_DOWNLOAD_PATH}/${token}`, this.publicUrl).toString();
  }

  verify(token: string): ResultsTokenClaims | null {
    return verifyResultsToken(token, this.secret);
  }
}
