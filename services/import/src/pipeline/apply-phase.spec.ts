import { capturedLogger } from '@uif/testing';
import { describe, expect, it } from 'vitest';
import { ImportJob, ImportJobStatus, ImportTrigger } from '../import-job/import-job.entity.js';
import { emptyCounts, ImportPhase } from '../import-job/import-job.types.js';
import {
  FAKE_CONNECTOR_ID,
  FAKE_ORGANIZATION_ID,
  fakeConnector,
  fakeDirectory,
} from '../testing/fake-services.js';
import { ApplyPhase, DRY_RUN_USERS_AT_ONCE, DRY_RUN_WARNING } from './apply-phase.js';
import type { ImportPlanBatch } from './import-plan.entity.js';

const { log } = capturedLogger('apply-phase-test');
const BATCH = 8_000;

/** A job planning four batches of BATCH new users, a dry run or not. */
function planned(dryRun: boolean) {
  const job = Object.assign(new ImportJob(), {
    id: 'job-1',
    organizationId: FAKE_ORGANIZATION_ID,
    connectorId: FAKE_CONNECTOR_ID,
    startedBy: 'e2e key',
    trigger: ImportTrigger.MANUAL,
    status: ImportJobStatus.RUNNING,
    phase: ImportPhase.APPLYING,
    dryRun,
    counts: emptyCounts(),
    warnings: [],
  });
  const plan: ImportPlanBatch[] = [0, 1, 2, 3].map((b) => ({
    jobId: job.id,
    seq: b * BATCH,
    changes: Array.from({ length: BATCH }, (_, i) => ({
      seq: b * BATCH + i,
      externalId: `e${b * BATCH + i}`,
      email: null,
      username: null,
      action: 'create' as const,
      userId: null,
      attributes: { email: `u${b * BATCH + i}@example.com`, username: `u${b * BATCH + i}` },
    })),
  }));
  return { job, plan };
}

/** The phase against the fake services: the requests the directory got, and the batches resolved, in order. */
async function apply(dryRun: boolean) {
  const { job, plan } = planned(dryRun);
  const { directory, batches: requests } = fakeDirectory();
  const resolved: number[] = [];
  const phase = new ApplyPhase(
    { log, retryMs: 0, connectors: fakeConnector([]), directory },
    { save: async () => undefined, checkCancelled: async () => undefined },
    {
      next: async (_job, after) => plan.find((batch) => batch.seq > after) ?? null,
      resolve: async (_job, results, seq) => void resolved.push(seq!, results.length),
      recount: async () => undefined,
    },
  );
  await phase.run(job);
  return { job, requests, resolved };
}

describe('the apply phase', () => {
  it('sends a real run batch by batch', async () => {
    const { job, requests, resolved } = await apply(false);
    expect(requests.map((request) => [request.changes.length, request.dryRun])).toEqual([
      [BATCH, false],
      [BATCH, false],
      [BATCH, false],
      [BATCH, false],
    ]);
    expect(resolved).toEqual([0, BATCH, BATCH, BATCH, 2 * BATCH, BATCH, 3 * BATCH, BATCH]);
    expect(job.counts.created).toBe(4 * BATCH);
    expect(job.warnings).toEqual([]);
  });

  it(`sends a dry run ${DRY_RUN_USERS_AT_ONCE} users at a time, records each batch, and says where it could not look`, async () => {
    const { job, requests, resolved } = await apply(true);
    // Batches join a request until it holds DRY_RUN_USERS_AT_ONCE users or more.
    expect(requests.map((request) => [request.changes.length, request.dryRun])).toEqual([
      [3 * BATCH, true],
      [BATCH, true],
    ]);
    expect(resolved).toEqual([0, BATCH, BATCH, BATCH, 2 * BATCH, BATCH, 3 * BATCH, BATCH]);
    expect(job.counts.created).toBe(4 * BATCH);
    expect(job.warnings).toEqual([DRY_RUN_WARNING]);
  });
});
