import { randomBytes } from 'node:crypto';
import type { ChildService } from '@uif/federation';
import { importConfigSchema, startImport } from '@uif/import';
import { parseConfig } from '@uif/runtime';
import { dataOf, freePort, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnImport, startFederation, type Federation } from './federation.js';
import {
  activeConnector,
  dashboard,
  directoryUsers,
  employee,
  startHr,
  waitForJob,
} from './import-helpers.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A worker-only import process sharing the database and Redis with the API process. */
async function startWorker(env: Record<string, string>): Promise<ChildService> {
  return spawnImport({ ...env, IMPORT_ROLE: 'worker', IMPORT_PORT: String(await freePort()) });
}

describe('an API process and two worker processes on one Redis', () => {
  let federation: Federation;
  let hr: HrProvider;
  const workers: ChildService[] = [];
  beforeAll(async () => {
    federation = await startFederation({
      importEnv: {
        IMPORT_ROLE: 'api',
        REDIS_URL,
        IMPORT_QUEUE_NAME: `uif-test-${randomBytes(4).toString('hex')}`,
        IMPORT_SCHEDULER_SECONDS: '0.2',
        IMPORT_BATCH_SIZE: '2',
        IMPORT_LEASE_SECONDS: '1',
        IMPORT_HEARTBEAT_SECONDS: '0.2',
      },
    });
    workers.push(await startWorker(federation.importEnv), await startWorker(federation.importEnv));
    hr = await startHr(Array.from({ length: 24 }, (_, i) => employee(i + 1)));
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await hr?.close();
    await federation?.stop();
  });

  it('runs the job on a worker, and its progress reaches a subscriber on the gateway through Redis', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url, 4);
    hr.delayPages(50);
    const { startImport } = dataOf(
      await org.query<{ startImport: { id: string } }>(
        'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
        {
          input: { connectorId, operations: ['USER_CREATE'] },
        },
      ),
    );
    const client = dashboard(federation, org);
    try {
      const phases: string[] = [];
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ importJobProgress: { phase: string } }>(
          {
            query: 'subscription ($id: ID!) { importJobProgress(jobId: $id) { phase } }',
            variables: { id: startImport.id },
          },
          {
            next: (event) => phases.push(event.data!.importJobProgress.phase),
            error: reject,
            complete: resolve,
          },
        );
      });
      expect(phases.at(-1)).toBe('DONE');
      expect(phases.length).toBeGreaterThan(2);
    } finally {
      await client.dispose();
    }
    const job = await waitForJob(org, startImport.id);
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { created: 24 } });
    expect((await directoryUsers(org)).totalCount).toBe(24);
  });

  it('runs a due tick exactly once across the three processes', async () => {
    const org = await federation.newOrganization();
    hr.delayPages(0);
    const connectorId = await activeConnector(org, hr.url, 12);
    await federation.imports.dataSource.query(
      'UPDATE import_schedules SET nextRunAt = ? WHERE connectorId = ?',
      [new Date(Date.now() - 1000), connectorId],
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { importJobs } = dataOf(
      await org.query<{ importJobs: { id: string; trigger: string }[] }>(
        'query ($id: ID!) { importJobs(connectorId: $id) { id trigger } }',
        {
          id: connectorId,
        },
      ),
    );
    expect(importJobs).toHaveLength(1);
    expect(importJobs[0]!.trigger).toBe('SCHEDULED');
    await waitForJob(org, importJobs[0]!.id);
  });

  it('finishes a job on the other worker when its worker is killed, with no user created twice', async () => {
    const org = await federation.newOrganization();
    const big = await startHr(Array.from({ length: 200 }, (_, i) => employee(i + 1)));
    try {
      const connectorId = await activeConnector(org, big.url, 100);
      const { startImport } = dataOf(
        await org.query<{ startImport: { id: string } }>(
          'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
          {
            input: { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] },
          },
        ),
      );
      let workerId: string | null = null;
      for (const deadline = Date.now() + 20_000; !workerId && Date.now() < deadline;) {
        const [row] = (await federation.imports.dataSource.query(
          'SELECT workerId, phase, processed FROM import_jobs WHERE id = ?',
          [startImport.id],
        )) as { workerId: string | null; phase: string; processed: number }[];
        if (row?.phase === 'APPLYING' && row.processed > 20) workerId = row.workerId;
      }
      const victim = workers.find((w) => workerId?.endsWith(`:${w.child.pid}`));
      expect(victim).toBeDefined();
      victim!.child.kill('SIGKILL');
      const job = await waitForJob(org, startImport.id, 60_000);
      expect(job.status).toBe('SUCCEEDED');
      expect((job.counts.created ?? 0) + (job.counts.unchanged ?? 0)).toBe(200);
      const users = await directoryUsers(org);
      expect(users.totalCount).toBe(200);
      expect(new Set(users.nodes.map((u) => u.email)).size).toBe(200);
    } finally {
      await big.close();
    }
  });

  it('never runs a job twice, even beside a process with its own in-process queue on the same database', async () => {
    // This process has no Redis: its sweeper takes every queued job it sees into its own queue.
    const stray = await startImport(
      parseConfig('import', importConfigSchema, {
        ...federation.importEnv,
        IMPORT_ROLE: 'all',
        REDIS_URL: '',
        IMPORT_PORT: String(await freePort()),
      }),
    );
    try {
      const org = await federation.newOrganization();
      const connectorId = await activeConnector(org, hr.url, 4);
      hr.delayPages(30);
      const jobs = await Promise.all(
        [0, 1, 2].map(async () => {
          const { startImport } = dataOf(
            await org.query<{ startImport: { id: string } }>(
              'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
              {
                input: { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] },
              },
            ),
          );
          return waitForJob(org, startImport.id, 60_000);
        }),
      );
      for (const job of jobs)
        expect(job).toMatchObject({ status: 'SUCCEEDED', error: null, counts: { fetched: 24 } });
      expect((await directoryUsers(org)).totalCount).toBe(24);
    } finally {
      hr.delayPages(0);
      await stray.stop();
    }
  });
});
