import { DomainError } from '@uif/runtime';
import { capturedLogger } from '@uif/testing';
import { describe, expect, it } from 'vitest';
import { ImportJob, ImportJobStatus, ImportTrigger } from '../import-job/import-job.entity.js';
import { emptyCounts, ImportOutcome, ImportPhase } from '../import-job/import-job.types.js';
import type { StoredResult } from '../results/import-result.entity.js';
import type { ImportPlanBatch, PlannedChange } from './import-plan.entity.js';
import { JobFinish } from './job-finish.js';

const { log } = capturedLogger('job-finish-test');

/** A job that has applied one user and still plans `planned`, in one batch. */
function jobPlanning(planned: PlannedChange[], phase = ImportPhase.APPLYING) {
  const job = Object.assign(new ImportJob(), {
    id: 'job-1',
    organizationId: 'org-1',
    trigger: ImportTrigger.MANUAL,
    status: ImportJobStatus.RUNNING,
    phase,
    suspendMissingUsers: true,
    startedAt: new Date(),
    finishedAt: null,
    error: null,
    processed: 1,
    counts: { ...emptyCounts(), fetched: 1 + planned.length, created: 1 },
    warnings: [],
  });
  const plan = planned.length > 0 ? [{ jobId: job.id, seq: planned[0]!.seq, changes: planned }] : [];
  return { job, plan: plan satisfies ImportPlanBatch[] };
}

/** The phase over a stored `plan`: each save (status, phase) and each resolved set of results is kept. */
function jobFinish(plan: ImportPlanBatch[]) {
  const saves: Pick<ImportJob, 'status' | 'phase'>[] = [];
  const resolved: StoredResult[][] = [];
  const finishing = new JobFinish(
    { log },
    { save: async ({ status, phase }) => void saves.push({ status, phase }) },
    { remaining: async () => plan, resolve: async (_job, results) => void resolved.push(results) },
  );
  return { finishing, saves, resolved };
}

const change = (seq: number, externalId: string): PlannedChange => ({
  seq,
  externalId,
  email: `${externalId}@example.com`,
  username: externalId,
  action: 'create',
  userId: null,
  attributes: { email: `${externalId}@example.com` },
});

describe('ending a job', () => {
  it('reports the users still planned of a cancelled job as skipped, then saves it REPORTING and DONE', async () => {
    const { job, plan } = jobPlanning([change(1, 'b'), change(2, 'c')]);
    const { finishing, saves, resolved } = jobFinish(plan);

    await finishing.cancelled(job);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject(
      ['b', 'c'].map((externalId, index) => ({
        seq: index + 1,
        externalId,
        outcome: ImportOutcome.SKIPPED,
        detail: 'The import was cancelled before this user was applied',
      })),
    );
    expect(job).toMatchObject({ processed: 3, counts: { created: 1, skipped: 2 }, error: null });
    expect(job.finishedAt).toBeInstanceOf(Date);
    expect(saves).toEqual([
      { status: ImportJobStatus.CANCELLED, phase: ImportPhase.REPORTING },
      { status: ImportJobStatus.CANCELLED, phase: ImportPhase.DONE },
    ]);
  });

  it('fails in the words of a known error, or says the error was unexpected; a broken listing suspends nobody', async () => {
    const listing = jobPlanning([], ImportPhase.FETCHING);
    await jobFinish(listing.plan).finishing.failed(
      listing.job,
      new DomainError('PROVIDER_ERROR', 'The provider answered 500'),
    );
    expect(listing.job).toMatchObject({
      status: ImportJobStatus.FAILED,
      error: 'The provider answered 500',
      warnings: ['Nobody was suspended for being missing: the listing ended with an error'],
    });

    const applying = jobPlanning([change(1, 'b')]);
    const { finishing, resolved } = jobFinish(applying.plan);
    await finishing.failed(applying.job, new Error('boom'));
    expect(applying.job).toMatchObject({
      status: ImportJobStatus.FAILED,
      error: 'The import stopped on an unexpected error: boom',
      warnings: [],
    });
    expect(resolved[0]).toMatchObject([{ detail: 'The import failed before this user was applied' }]);
  });

  it('ends a job that applied its whole plan SUCCEEDED, or PARTIAL once a user failed', async () => {
    const { job, plan } = jobPlanning([]);
    await jobFinish(plan).finishing.completed(job);
    expect(job.status).toBe(ImportJobStatus.SUCCEEDED);

    const failing = jobPlanning([]);
    failing.job.counts.failed = 1;
    await jobFinish(failing.plan).finishing.completed(failing.job);
    expect(failing.job.status).toBe(ImportJobStatus.PARTIAL);
  });
});
