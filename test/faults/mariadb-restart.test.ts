import type { HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConnector, employee, startHr } from '../src/import-helpers.js';
import {
  figure,
  integrity,
  isFinished,
  seconds,
  startDrillFederation,
  startImportJob,
  waitForJobState,
  type DrillFederation,
} from './drill.js';
import { disposeAll, PrivateMariaDb } from './servers.js';

const USERS = 10_000;
const PAGE_SIZE = 500;
const DOWN_MS = 3_000;
const LEASE_SECONDS = 4;
/** Users per directory batch (the default, said here so the drill can count whole batches). */
const BATCH_SIZE = 500;

/**
 * Drill: a database is killed mid-import (while the plan is applied) and started again on the same
 * port and data. The job must complete after retries or a takeover, never with a batch half
 * written, and the services must work again afterwards.
 */
describe('fault drill: MariaDB restarted mid-import', () => {
  let hr: HrProvider;
  const federations: DrillFederation[] = [];
  beforeAll(async () => {
    hr = await startHr(Array.from({ length: USERS }, (_, i) => employee(i + 1)));
  });
  afterAll(async () => {
    await hr?.close();
    for (const federation of federations) await federation.stop();
    await disposeAll();
  });

  async function drill(name: string, topology: 'one server' | 'directory apart'): Promise<void> {
    const mariadb = await PrivateMariaDb.start();
    const firstStartMs = mariadb.lastStartMs;
    const directoryMariadb = topology === 'directory apart' ? await PrivateMariaDb.start() : undefined;
    const federation = await startDrillFederation({
      mariadb,
      ...(directoryMariadb ? { directoryMariadb } : {}),
      importEnv: {
        IMPORT_LEASE_SECONDS: String(LEASE_SECONDS),
        IMPORT_HEARTBEAT_SECONDS: '0.5',
        IMPORT_BATCH_SIZE: String(BATCH_SIZE),
      },
    });
    federations.push(federation);
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url, PAGE_SIZE);
    const jobId = await startImportJob(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    const before = await waitForJobState(
      org,
      jobId,
      (job) => isFinished(job) || (job.progress.phase === 'APPLYING' && job.progress.processed >= 2_000),
      120_000,
      20,
    );
    expect(before.status, 'the job must still be running when the database goes').toBe('RUNNING');

    const killedAt = performance.now();
    const restarted = directoryMariadb ?? mariadb;
    const { downMs } = await restarted.restart({ signal: 'SIGKILL', downMs: DOWN_MS });
    // Straight after the restart, in one statement (one snapshot, whatever the resumed job writes
    // meanwhile): the batch the kill interrupted is gone whole. Every batch creates BATCH_SIZE new
    // users with their links and events, so committed users come in whole batches.
    const [crash] = await federation.directorySql(
      `SELECT COUNT(*) AS users,
         SUM(NOT EXISTS (SELECT 1 FROM user_links l WHERE l.organizationId = u.organizationId AND l.userId = u.id)) AS withoutLink,
         SUM(NOT EXISTS (SELECT 1 FROM directory_events e WHERE e.organizationId = u.organizationId AND e.userId = u.id AND e.type = 'USER_CREATED')) AS withoutEvent
       FROM users u WHERE u.organizationId = ?`,
      [org.id],
    );
    const afterCrash = {
      users: Number(crash!.users),
      withoutLink: Number(crash!.withoutLink),
      withoutEvent: Number(crash!.withoutEvent),
    };
    expect(afterCrash.users, 'users applied before the kill').toBeGreaterThan(0);
    expect(afterCrash.users % BATCH_SIZE, `${afterCrash.users} users: a batch was half-written`).toBe(0);
    expect(afterCrash).toMatchObject({ withoutLink: 0, withoutEvent: 0 });
    const job = await waitForJobState(org, jobId, isFinished, 120_000, 200);
    // When the job had ended already (failed), this is when the poll saw it, after the restart.
    const endedAfter = performance.now() - killedAt;

    // The import retries a directory whose database is down, and a worker resumes a job whose own
    // database went away once its lease has passed: either way the job completes, exactly.
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ fetched: USERS, created: USERS, failed: 0 });
    const found = await integrity(federation, org.id, jobId);
    // No half-written batch: each user has its link and its creation event, and the report
    // accounts for exactly the users that exist.
    expect(found).toMatchObject({
      duplicateEmails: 0,
      duplicateUsernames: 0,
      duplicateLinks: 0,
      usersWithoutLink: 0,
      usersWithoutCreatedEvent: 0,
      createdResultsWithoutUser: 0,
    });
    expect(found.links).toBe(found.users);
    expect(found.createdEvents).toBe(found.users);
    expect(found.createdResults).toBe(found.users);
    expect(found.results).toBe(found.distinctResultExternalIds);
    expect(found.users).toBe(USERS);

    // The services reconnect: a new import works without any restart of theirs.
    const recovered = await waitForJobState(
      org,
      await startImportJob(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] }),
      isFinished,
      120_000,
      200,
    );
    expect(recovered).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(recovered.counts.created + recovered.counts.unchanged).toBe(USERS);
    expect((await integrity(federation, org.id, jobId)).users).toBe(USERS);

    figure(`mariadb-restart (${name})`, {
      users: USERS,
      restartedAtApplied: before.progress.processed,
      usersRightAfterRestart: afterCrash.users,
      privateServerInit: seconds(mariadb.initMs),
      privateServerStart: seconds(firstStartMs),
      databaseDown: seconds(downMs),
      startAfterCrash: seconds(restarted.lastStartMs),
      outcome: job.status,
      jobEndedAfterKill: seconds(endedAfter),
      ...(job.error ? { error: JSON.stringify(job.error) } : {}),
    });
  }

  it('one server for every service: the job completes exactly, nothing half-written, services recover', () =>
    drill('one server', 'one server'));

  it('the directory’s own server: the job completes exactly, nothing half-written, services recover', () =>
    drill('directory apart', 'directory apart'));
});
