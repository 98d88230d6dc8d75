import type { ServerResponse } from 'node:http';
import { dataOf, employee, sendJson, startTestServer, type TestServer } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConnector } from '../src/import-helpers.js';
import {
  figure,
  integrity,
  isFinished,
  storedResults,
  seconds,
  startDrillFederation,
  startImportJob,
  waitForJobState,
  type DrillFederation,
} from './drill.js';
import { disposeAll, PrivateMariaDb } from './servers.js';

const USERS = 1_000;
const PAGE_SIZE = 100;
const TIMEOUT_SECONDS = 1;
const RETRIES = 1;
/** Pages answered before the provider stalls. */
const GOOD_PAGES = 6;

type Stall = 'silent' | 'mid-body';

/**
 * An HR provider of ours that stalls from an offset on: `silent` accepts the request and never
 * answers; `mid-body` sends the status and the start of the JSON, then nothing more. By offset, not
 * by count: requests a failed job left in flight (the connector retries them) change nothing.
 */
async function startStallingProvider() {
  const users = Array.from({ length: USERS }, (_, i) => employee(i + 1));
  let stall: Stall = 'silent';
  let stallFrom: number | null = null;
  const hanging: ServerResponse[] = [];
  const server: TestServer = await startTestServer(({ url }, response) => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    if (stallFrom !== null && offset >= stallFrom) {
      hanging.push(response);
      if (stall === 'mid-body') {
        response.writeHead(200, { 'content-type': 'application/json', 'X-Total-Count': String(USERS) });
        response.write('[{"id": 1, "email": "worker1@acme.example", ');
      }
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? 100);
    sendJson(response, 200, users.slice(offset, offset + limit), { 'X-Total-Count': String(USERS) });
  });
  return Object.assign(server, {
    /** Stalls every page from `offset` on, this way; null: answers every page. */
    stallFrom(offset: number | null, how: Stall = 'silent') {
      stallFrom = offset;
      stall = how;
    },
    hanging,
  });
}

describe('fault drill: a provider that stalls', () => {
  let mariadb: PrivateMariaDb;
  let federation: DrillFederation;
  let provider: Awaited<ReturnType<typeof startStallingProvider>>;
  beforeAll(async () => {
    mariadb = await PrivateMariaDb.start();
    federation = await startDrillFederation({
      mariadb,
      // Batches smaller than the pages read before the stall: some users are decided, none applied.
      importEnv: { IMPORT_BATCH_SIZE: String(2 * PAGE_SIZE) },
      connectorEnv: {
        PROVIDER_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
        PROVIDER_RETRIES: String(RETRIES),
        PROVIDER_RETRY_BASE_MS: '10',
      },
    });
    provider = await startStallingProvider();
  });
  afterAll(async () => {
    await provider?.close();
    await federation?.stop();
    await disposeAll();
  });

  const timeoutMessage = (offset: number) =>
    `The provider did not answer within ${TIMEOUT_SECONDS} s (GET ${provider.url}/employees?limit=${PAGE_SIZE}&offset=${offset})`;

  for (const how of ['silent', 'mid-body'] as const) {
    it(`fails the job after the timeout, naming the URL, with nothing written (${how})`, async () => {
      const org = await federation.newOrganization();
      // Healthy while the connector is activated (activation tests the connection).
      provider.stallFrom(null);
      const connectorId = await activeConnector(org, provider.url, PAGE_SIZE);
      provider.stallFrom(GOOD_PAGES * PAGE_SIZE, how);
      const stalledBefore = provider.hanging.length;
      const started = performance.now();
      const jobId = await startImportJob(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
      const job = await waitForJobState(org, jobId, isFinished, 60_000, 100);
      const failedAfter = performance.now() - started;

      expect(job.status).toBe('FAILED');
      expect(job.error).toContain(timeoutMessage(GOOD_PAGES * PAGE_SIZE));
      expect(job.counts).toMatchObject({ fetched: GOOD_PAGES * PAGE_SIZE, created: 0, updated: 0 });
      // Each attempt waited out the timeout: the first try and its retries (of each page in flight).
      const stalledRequests = provider.hanging.length - stalledBefore;
      expect(stalledRequests).toBeGreaterThanOrEqual(RETRIES + 1);
      expect(failedAfter).toBeGreaterThanOrEqual((RETRIES + 1) * TIMEOUT_SECONDS * 1000);
      const found = await integrity(federation, org.id, jobId);
      expect(found).toMatchObject({ users: 0, links: 0, createdEvents: 0, createdResults: 0 });
      // What was read but never applied is reported, not left behind in the plan.
      const reported = await storedResults(federation, jobId);
      expect(new Set(reported.map(({ outcome, detail }) => `${outcome}: ${detail}`))).toEqual(
        new Set(['SKIPPED: The import failed before this user was applied']),
      );
      expect(reported).toHaveLength(found.results);
      expect(found.results).toBeGreaterThan(0);

      // The connection test says the same, for the first page.
      provider.stallFrom(0, how);
      const testStarted = performance.now();
      const { testConnection } = dataOf(
        await org.query<{ testConnection: { ok: boolean; message: string; httpStatus: number | null } }>(
          'mutation ($id: ID!) { testConnection(connectorId: $id) { ok message httpStatus } }',
          { id: connectorId },
        ),
      );
      const testMs = performance.now() - testStarted;
      expect(testConnection.ok).toBe(false);
      expect(testConnection.message).toContain(`did not answer within ${TIMEOUT_SECONDS} s`);
      expect(testConnection.message).toContain(`${provider.url}/employees`);

      const [{ planned }] = (await federation.sql(
        'SELECT COUNT(*) AS planned FROM import_plan WHERE jobId = ?',
        [jobId],
      )) as [{ planned: number }];
      expect(Number(planned)).toBe(0);
      figure(`stalled-provider (${how})`, {
        timeout: `${TIMEOUT_SECONDS}s`,
        retries: RETRIES,
        stalledRequests,
        jobFailedAfter: seconds(failedAfter),
        connectionTestAnsweredAfter: seconds(testMs),
        skippedReported: found.results,
        error: JSON.stringify(job.error),
      });
    });
  }
});
