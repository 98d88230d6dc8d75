import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConnector, employee, startHr } from '../src/import-helpers.js';
import {
  figure,
  integrity,
  isFinished,
  seconds,
  spawnImportService,
  startDrillFederation,
  startImportJob,
  waitForJobState,
  type DrillFederation,
} from './drill.js';
import { disposeAll, PrivateMariaDb, PrivateRedis } from './servers.js';

const USERS = 20_000;
const PAGE_SIZE = 500;
const LEASE_SECONDS = 4;

/**
 * Drill: the worker process running a 20,000-user import is SIGKILLed while it applies the plan,
 * through the production path (BullMQ on Redis, the service as its own process). Another process
 * must take the job over and finish it: every user exactly once, the report as if nothing happened.
 */
describe('fault drill: SIGKILL of the import worker mid-import', () => {
  let mariadb: PrivateMariaDb;
  let redis: PrivateRedis;
  let federation: DrillFederation<'import'>;
  let hr: HrProvider;
  beforeAll(async () => {
    [mariadb, redis] = await Promise.all([PrivateMariaDb.start(), PrivateRedis.start()]);
    federation = await startDrillFederation({
      mariadb,
      children: ['import'],
      importEnv: {
        REDIS_URL: redis.url,
        IMPORT_QUEUE_NAME: `uif-faults-${randomBytes(4).toString('hex')}`,
        // A short lease, so the takeover is measured in seconds (the default is 60 s).
        IMPORT_LEASE_SECONDS: String(LEASE_SECONDS),
        IMPORT_HEARTBEAT_SECONDS: '0.5',
      },
    });
    hr = await startHr(Array.from({ length: USERS }, (_, i) => employee(i + 1)));
  });
  afterAll(async () => {
    await hr?.close();
    await federation?.stop();
    await disposeAll();
  });

  it('resumes on another process: 20,000 users exactly once, one result each', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url, PAGE_SIZE);
    const started = performance.now();
    const jobId = await startImportJob(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });

    const before = await waitForJobState(
      org,
      jobId,
      (job) => isFinished(job) || (job.progress.phase === 'APPLYING' && job.progress.processed >= 4_000),
      120_000,
      20,
    );
    expect(before.status, 'the job must still be running when the worker is killed').toBe('RUNNING');
    const [{ workerId: killedWorker }] = (await federation.sql(
      'SELECT workerId FROM import_jobs WHERE id = ?',
      [jobId],
    )) as [{ workerId: string }];
    const worker = federation.imports.child;
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    const killedAt = performance.now();
    const [{ applied }] = (await federation.sql(
      'SELECT COUNT(*) AS applied FROM users WHERE organizationId = ?',
      [org.id],
    )) as [{ applied: number }];
    expect(Number(applied)).toBeGreaterThan(0);
    expect(Number(applied), 'the kill must land before the last batch').toBeLessThan(USERS);

    const next: ChildProcess = await spawnImportService(federation.importEnv);
    expect(next.exitCode).toBeNull();
    // The directory may still commit the batch in flight at the kill, which the job never recorded:
    // the new worker applies it again, and must report those users created all the same.
    const settled = await integrity(federation, org.id, jobId);
    const unrecorded = settled.users - settled.results;
    // Taken over: the job names another worker process.
    let takenOverAt = 0;
    for (const deadline = Date.now() + 60_000; !takenOverAt && Date.now() < deadline;) {
      const [row] = (await federation.sql('SELECT workerId FROM import_jobs WHERE id = ?', [jobId])) as [
        { workerId: string },
      ];
      if (row.workerId !== killedWorker) takenOverAt = performance.now();
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(takenOverAt, 'another process must take the job over').toBeGreaterThan(0);
    const job = await waitForJobState(org, jobId, isFinished, 120_000, 200);
    const finishedAt = performance.now();

    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(job.counts).toMatchObject({ fetched: USERS, created: USERS, unchanged: 0, failed: 0, skipped: 0 });
    const found = await integrity(federation, org.id, jobId);
    expect(found).toEqual({
      users: USERS,
      duplicateEmails: 0,
      duplicateUsernames: 0,
      links: USERS,
      duplicateLinks: 0,
      usersWithoutLink: 0,
      usersWithoutCreatedEvent: 0,
      createdEvents: USERS,
      results: USERS,
      distinctResultExternalIds: USERS,
      createdResults: USERS,
      createdResultsWithoutUser: 0,
    });
    const [{ planned }] = (await federation.sql(
      'SELECT COUNT(*) AS planned FROM import_plan WHERE jobId = ?',
      [jobId],
    )) as [{ planned: number }];
    expect(Number(planned), 'the plan is used up').toBe(0);

    figure('worker-kill', {
      users: USERS,
      killedAtApplied: Number(applied),
      appliedButUnrecorded: unrecorded,
      lease: `${LEASE_SECONDS}s`,
      takeoverAfterKill: seconds(takenOverAt - killedAt),
      finishedAfterKill: seconds(finishedAt - killedAt),
      total: seconds(finishedAt - started),
    });
  });
});
