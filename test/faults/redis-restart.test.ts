import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { dataOf, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestOrganization } from '../src/federation.js';
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
  type JobView,
} from './drill.js';
import { disposeAll, PrivateMariaDb, PrivateRedis } from './servers.js';

const USERS = 3_000;
const PAGE_SIZE = 100;
const PAGE_DELAY_MS = 200;
const LEASE_SECONDS = 4;

interface ProgressEvent {
  jobId: string;
  status: string;
  phase: string;
  processed: number;
  counts: { fetched: number; created: number };
}

/**
 * Drill: Redis (BullMQ's queue and the progress bus) is killed and started again, empty, while one
 * import runs and another waits in the queue. The running job must finish, the lost waiting one
 * must be found again in the database and run, a dashboard's subscription must keep receiving
 * progress up to DONE, and schedules must still fire.
 */
describe('fault drill: Redis restarted mid-import', () => {
  let mariadb: PrivateMariaDb;
  let redis: PrivateRedis;
  let federation: DrillFederation;
  let hr: HrProvider;
  const clients: Client[] = [];
  beforeAll(async () => {
    [mariadb, redis] = await Promise.all([PrivateMariaDb.start(), PrivateRedis.start()]);
    federation = await startDrillFederation({
      mariadb,
      importEnv: {
        REDIS_URL: redis.url,
        IMPORT_QUEUE_NAME: `uif-faults-${randomBytes(4).toString('hex')}`,
        // One job at a time: the second one waits in Redis when Redis goes.
        IMPORT_CONCURRENCY: '1',
        IMPORT_LEASE_SECONDS: String(LEASE_SECONDS),
        IMPORT_HEARTBEAT_SECONDS: '0.5',
        IMPORT_SCHEDULER_SECONDS: '0.5',
      },
    });
    hr = await startHr(Array.from({ length: USERS }, (_, i) => employee(i + 1)));
    hr.delayPages(PAGE_DELAY_MS);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await hr?.close();
    await federation?.stop();
    await disposeAll();
  });

  /** A dashboard's subscription to one job's progress through the gateway, with arrival times. */
  function subscribe(org: TestOrganization, jobId: string) {
    const client = createClient({
      url: federation.gateway.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': org.apiKey, 'x-org-id': org.id },
      retryAttempts: 0,
    });
    clients.push(client);
    const events: { at: number; event: ProgressEvent }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ importJobProgress: ProgressEvent }>(
        {
          query:
            'subscription ($id: ID!) { importJobProgress(jobId: $id) { jobId status phase processed counts { fetched created } } }',
          variables: { id: jobId },
        },
        {
          next: (result) =>
            result.errors
              ? reject(new Error(JSON.stringify(result.errors)))
              : events.push({ at: performance.now(), event: result.data!.importJobProgress }),
          error: reject,
          complete: resolve,
        },
      );
    });
    return { events, done };
  }

  /** Pushes a connector's hourly schedule out of the drill's way, or makes it due now. */
  async function scheduleAt(connectorId: string, when: Date): Promise<void> {
    await federation.sql('UPDATE import_schedules SET nextRunAt = ? WHERE connectorId = ?', [
      when,
      connectorId,
    ]);
  }

  async function jobsOf(org: TestOrganization, connectorId: string) {
    const { importJobs } = dataOf(
      await org.query<{ importJobs: { id: string; trigger: string; status: string }[] }>(
        'query ($id: ID!) { importJobs(connectorId: $id) { id trigger status } }',
        { id: connectorId },
      ),
    );
    return importJobs;
  }

  it('finishes the running and the waiting job, keeps the subscription going, and ticks schedules', async () => {
    const later = new Date(Date.now() + 24 * 3_600_000);
    const [running, waiting, scheduled] = await Promise.all([
      federation.newOrganization(),
      federation.newOrganization(),
      federation.newOrganization(),
    ]);
    const connectors = {
      running: await activeConnector(running, hr.url, PAGE_SIZE),
      waiting: await activeConnector(waiting, hr.url, PAGE_SIZE),
      scheduled: await activeConnector(scheduled, hr.url, PAGE_SIZE),
    };
    for (const connectorId of Object.values(connectors)) await scheduleAt(connectorId, later);

    const operations = ['USER_CREATE', 'USER_UPDATE'];
    const runningJob = await startImportJob(running, { connectorId: connectors.running, operations });
    const progress = subscribe(running, runningJob);
    const waitingJob = await startImportJob(waiting, { connectorId: connectors.waiting, operations });
    await waitForJobState(running, runningJob, (job) => isFinished(job) || job.counts.fetched >= 300, 60_000);
    const queued = (await waitForJobState(waiting, waitingJob, () => true, 10_000))!;
    expect(queued.status, 'the second job waits in Redis').toBe('QUEUED');

    const restartedAt = performance.now();
    const { downMs } = await redis.restart({ signal: 'SIGKILL', downMs: 1_000 });
    expect((await waitForJobState(running, runningJob, () => true, 10_000)).status).toBe('RUNNING');
    await scheduleAt(connectors.scheduled, new Date(Date.now() - 1_000));

    const finished: JobView = await waitForJobState(running, runningJob, isFinished, 120_000, 200);
    expect(finished).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(finished.counts).toMatchObject({ fetched: USERS, created: USERS, failed: 0 });
    await progress.done;
    const after = progress.events.filter((e) => e.at > restartedAt);
    expect(after.length, 'progress events after the restart').toBeGreaterThanOrEqual(2);
    expect(after.at(-1)!.event).toMatchObject({ phase: 'DONE', status: 'SUCCEEDED', processed: USERS });
    const processed = progress.events.map((e) => e.event.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));

    // The waiting job was only in Redis' memory: the sweeper must find it in the database again.
    const requeued = await waitForJobState(waiting, waitingJob, isFinished, 120_000, 200);
    const requeuedAfter = performance.now() - restartedAt;
    expect(requeued).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(requeued.counts).toMatchObject({ fetched: USERS, created: USERS, failed: 0 });

    let tickedAfter = 0;
    for (const deadline = Date.now() + 60_000; !tickedAfter && Date.now() < deadline;) {
      const jobs = await jobsOf(scheduled, connectors.scheduled);
      if (jobs.some((job) => job.trigger === 'SCHEDULED')) tickedAfter = performance.now() - restartedAt;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(tickedAfter, 'the schedule fires after the restart').toBeGreaterThan(0);
    const [scheduledJob] = (await jobsOf(scheduled, connectors.scheduled)).filter(
      (job) => job.trigger === 'SCHEDULED',
    );
    const scheduledDone = await waitForJobState(scheduled, scheduledJob!.id, isFinished, 120_000, 200);
    expect(scheduledDone).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(scheduledDone.counts.created).toBe(USERS);

    for (const [org, jobId] of [
      [running, runningJob],
      [waiting, waitingJob],
    ] as const) {
      const found = await integrity(federation, org.id, jobId);
      expect(found).toMatchObject({ users: USERS, links: USERS, createdResults: USERS, duplicateEmails: 0 });
    }

    figure('redis-restart', {
      redisDown: seconds(downMs),
      progressEventsAfterRestart: after.length,
      runningJobFinishedAfterRestart: seconds(finished ? after.at(-1)!.at - restartedAt : 0),
      waitingJobRequeuedAndFinishedAfter: seconds(requeuedAfter),
      scheduleFiredAfter: seconds(tickedAfter),
    });
  });
});
