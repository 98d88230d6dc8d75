import type { Client } from 'graphql-ws';
import { dataOf, employee, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation } from '../src/federation.js';
import { activeConnector, dashboard, directoryUsers, startHr, waitForJob } from '../src/import-helpers.js';

const IMPORTS = 10;
const USERS_PER_IMPORT = 10_000;
const SUBSCRIBERS = 200;
const PAGE_SIZE = 500;

interface Progress {
  jobId: string;
  phase: string;
  status: string;
}

/** Resolves with the DONE event of `jobId` on a subscription (rejects on an error). */
function doneOf(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: unknown) => Progress,
) {
  return new Promise<Progress>((resolve, reject) => {
    client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) reject(new Error(JSON.stringify(result.errors)));
          const event = pick(result.data);
          if (event.phase === 'DONE' && (variables.jobId ?? event.jobId) === event.jobId) resolve(event);
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
}

/** The highest resident set size seen while `work` runs, sampled every 200 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 200);
  try {
    return { result: await work(), peakMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Load: ten imports of 10,000 users at once (one organization each) with 200 dashboards on the
 * gateway: half follow one job each (importJobProgress), half the organization feed
 * (importJobUpdates). Everything runs in this process, providers included, so its RSS bounds the
 * whole system's memory.
 */
describe(`load: ${IMPORTS} imports of ${USERS_PER_IMPORT} users and ${SUBSCRIBERS} subscribers`, () => {
  let federation: Federation;
  const providers: HrProvider[] = [];
  const clients: Client[] = [];
  beforeAll(async () => {
    federation = await startFederation({ importEnv: { IMPORT_CONCURRENCY: String(IMPORTS) } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all(providers.map((provider) => provider.close()));
    await federation?.stop();
  });

  it('finishes every job, tells every subscriber DONE, and keeps memory bounded', async () => {
    const staff = Array.from({ length: USERS_PER_IMPORT }, (_, i) => employee(i + 1));
    const tenants = await Promise.all(
      Array.from({ length: IMPORTS }, async () => {
        const org = await federation.newOrganization();
        const hr = await startHr(staff);
        providers.push(hr);
        return { org, connectorId: await activeConnector(org, hr.url, PAGE_SIZE) };
      }),
    );
    const perTenant = SUBSCRIBERS / IMPORTS / 2;
    const feedClients = tenants.flatMap(({ org }) =>
      Array.from({ length: perTenant }, () => ({ org, client: dashboard(federation, org) })),
    );
    clients.push(...feedClients.map(({ client }) => client));
    const feeds = feedClients.map(({ client }) =>
      doneOf(client, 'subscription { importJobUpdates { jobId phase status } }', {}, (data) => {
        return (data as { importJobUpdates: Progress }).importJobUpdates;
      }),
    );
    // Each feed subscription must be open before its organization's job starts.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const started = performance.now();
    const { result, peakMb } = await peakRss(async () => {
      const jobIds = await Promise.all(
        tenants.map(async ({ org, connectorId }) => {
          const { startImport } = dataOf(
            await org.query<{ startImport: { id: string } }>(
              'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
              { input: { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] } },
            ),
          );
          return startImport.id;
        }),
      );
      const followers = tenants.flatMap(({ org }, index) =>
        Array.from({ length: perTenant }, () => {
          const client = dashboard(federation, org);
          clients.push(client);
          return doneOf(
            client,
            'subscription ($jobId: ID!) { importJobProgress(jobId: $jobId) { jobId phase status } }',
            { jobId: jobIds[index] },
            (data) => (data as { importJobProgress: Progress }).importJobProgress,
          );
        }),
      );
      const jobs = await Promise.all(
        tenants.map(({ org }, index) => waitForJob(org, jobIds[index]!, 600_000)),
      );
      const done = await Promise.all([...followers, ...feeds]);
      return { jobs, done };
    });
    const seconds = (performance.now() - started) / 1000;

    expect(result.jobs.map((job) => job.status)).toEqual(Array(IMPORTS).fill('SUCCEEDED'));
    expect(result.jobs.every((job) => job.counts.created === USERS_PER_IMPORT)).toBe(true);
    expect(result.done).toHaveLength(SUBSCRIBERS);
    expect(result.done.every((event) => event.status === 'SUCCEEDED')).toBe(true);
    for (const { org } of tenants.slice(0, 2))
      expect((await directoryUsers(org)).totalCount).toBe(USERS_PER_IMPORT);
    const total = IMPORTS * USERS_PER_IMPORT;
    console.log(
      `load: ${total} users in ${IMPORTS} concurrent imports in ${seconds.toFixed(1)} s ` +
        `(${Math.round(total / seconds)} users/s), ${SUBSCRIBERS} subscribers all told DONE, peak RSS ${peakMb} MB`,
    );
    // Everything (four services, ten providers holding their users, 200 sockets) in one process.
    expect(peakMb).toBeLessThan(1_500);
  });
});
