import { DomainError } from '@uif/runtime';
import { ImportJobStatus, type ImportJob } from '../import-job/import-job.entity.js';
import { ImportOutcome, ImportPhase } from '../import-job/import-job.types.js';
import { recordImportJobEnded } from '../metrics/import-metrics.js';
import type { JobProgress } from './job-progress.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';
import type { PlanStore } from './plan-store.js';
import { countOutcomes, resultOfPlanned } from './result-rows.js';

/**
 * REPORTING: ends a job with its status. A job that stops early reports what it had not applied yet
 * as skipped, so that every user read has one result.
 */
export class JobFinish {
  constructor(
    private readonly deps: Pick<PipelineDependencies, 'log'>,
    private readonly progress: Pick<JobProgress, 'save'>,
    private readonly plans: Pick<PlanStore, 'remaining' | 'resolve'>,
  ) {}

  /** A job that applied its whole plan: PARTIAL when some user failed. */
  async completed(job: ImportJob): Promise<void> {
    await this.finish(job, job.counts.failed > 0 ? ImportJobStatus.PARTIAL : ImportJobStatus.SUCCEEDED, null);
  }

  /** A job an admin cancelled, while it ran or while its plan awaited approval. */
  async cancelled(job: ImportJob): Promise<void> {
    await this.skipRemaining(job, 'The import was cancelled before this user was applied');
    await this.finish(job, ImportJobStatus.CANCELLED, null);
  }

  /** A job stopped by an error, said in its words when it is a known one. */
  async failed(job: ImportJob, error: unknown): Promise<void> {
    this.deps.log.warn({ jobId: job.id, err: error }, 'import job failed');
    if (job.suspendMissingUsers && job.phase === ImportPhase.FETCHING) {
      job.warnings = [
        ...job.warnings,
        'Nobody was suspended for being missing: the listing ended with an error',
      ];
    }
    await this.skipRemaining(job, 'The import failed before this user was applied');
    await this.finish(job, ImportJobStatus.FAILED, describeFailure(error));
  }

  /** What was applied stays; what was not is reported as skipped, saying why. */
  private async skipRemaining(job: ImportJob, detail: string): Promise<void> {
    const batches = await this.plans.remaining(job);
    const skipped = batches.flatMap((batch) =>
      batch.changes.map((change) =>
        resultOfPlanned(change, {
          outcome: ImportOutcome.SKIPPED,
          detail,
          userId: change.userId,
          changes: null,
        }),
      ),
    );
    await this.plans.resolve(job, skipped);
    countOutcomes(job, skipped);
  }

  private async finish(job: ImportJob, status: ImportJobStatus, error: string | null): Promise<void> {
    job.status = status;
    job.error = error;
    job.phase = ImportPhase.REPORTING;
    job.finishedAt = new Date();
    await this.progress.save(job);
    job.phase = ImportPhase.DONE;
    await this.progress.save(job);
    recordImportJobEnded(job);
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  return `The import stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
