import { employee, sendJson, startTestServer, type Employee, type TestServer } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConnector } from '../src/import-helpers.js';
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

const USERS = 3_000;
const PAGE_SIZE = 50;
const FAILURE_RATE = 0.2;
const SEED = 20_240_616;
/** got retries 4 times by default (PROVIDER_RETRIES): a page fails at most this often in a row. */
const MAX_FAILURES_PER_PAGE = 3;

type Failure = { status: 500 | 502 | 503 } | { status: 429; retryAfter: string | null };
const FAILURES: Failure[] = [
  { status: 500 },
  { status: 502 },
  { status: 503 },
  { status: 429, retryAfter: '1' },
  { status: 429, retryAfter: null },
];

/** A 32-bit hash of the numbers (FNV-1a over their bytes): the same decisions on every run. */
function hash(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    for (let shift = 0; shift < 32; shift += 8) {
      h ^= (value >>> shift) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h;
}

interface Answer {
  offset: number;
  attempt: number;
  status: number;
  retryAfter: string | null;
  at: number;
}

/**
 * An HR provider of ours that answers about one page request in five with 500/502/503 or 429 (with
 * and without Retry-After). Whether a request fails depends only on the seed, its offset and how
 * often that offset was asked before, so every run sees the same faults whatever the timing.
 */
async function startFlakyProvider(users: Employee[]): Promise<TestServer & { answers: Answer[] }> {
  const answers: Answer[] = [];
  const attempts = new Map<number, number>();
  const server = await startTestServer(({ url }, response) => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const attempt = attempts.get(offset) ?? 0;
    attempts.set(offset, attempt + 1);
    const roll = hash(SEED, offset, attempt);
    const failure =
      attempt < MAX_FAILURES_PER_PAGE && roll % 1000 < FAILURE_RATE * 1000
        ? FAILURES[(roll >>> 12) % FAILURES.length]!
        : null;
    const at = performance.now();
    if (failure) {
      const retryAfter = 'retryAfter' in failure ? failure.retryAfter : null;
      answers.push({ offset, attempt, status: failure.status, retryAfter, at });
      sendJson(
        response,
        failure.status,
        { error: failure.status === 429 ? 'Too many requests' : 'The HR system hiccuped' },
        retryAfter ? { 'retry-after': retryAfter } : {},
      );
      return;
    }
    answers.push({ offset, attempt, status: 200, retryAfter: null, at });
    sendJson(response, 200, users.slice(offset, offset + limit), { 'X-Total-Count': String(users.length) });
  });
  return Object.assign(server, { answers });
}

describe('fault drill: a provider answering 20 % 5xx and 429', () => {
  let mariadb: PrivateMariaDb;
  let federation: DrillFederation;
  let provider: Awaited<ReturnType<typeof startFlakyProvider>>;
  const users = Array.from({ length: USERS }, (_, i) => employee(i + 1));
  beforeAll(async () => {
    mariadb = await PrivateMariaDb.start();
    federation = await startDrillFederation({
      mariadb,
      // Fast backoff; Retry-After is honoured as the provider asks.
      connectorEnv: { PROVIDER_RETRY_BASE_MS: '10', PROVIDER_RETRIES: '4' },
    });
    provider = await startFlakyProvider(users);
  });
  afterAll(async () => {
    await provider?.close();
    await federation?.stop();
    await disposeAll();
  });

  it('creates, then updates and creates, with exactly the right counts; the retries show in the log', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, provider.url, PAGE_SIZE);
    const operations = ['USER_CREATE', 'USER_UPDATE'];

    const firstStarted = performance.now();
    const first = await waitForJobState(
      org,
      await startImportJob(org, { connectorId, operations }),
      isFinished,
      120_000,
      100,
    );
    const firstMs = performance.now() - firstStarted;
    expect(first).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(first.counts).toMatchObject({ fetched: USERS, created: USERS, updated: 0, failed: 0, skipped: 0 });

    // The provider changes: 500 move department, 500 join.
    for (const user of users.slice(0, 500)) user.department = 'Sales';
    users.push(...Array.from({ length: 500 }, (_, i) => employee(USERS + i + 1)));
    const secondStarted = performance.now();
    const secondId = await startImportJob(org, { connectorId, operations });
    const second = await waitForJobState(org, secondId, isFinished, 120_000, 100);
    const secondMs = performance.now() - secondStarted;
    expect(second).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(second.counts).toMatchObject({
      fetched: USERS + 500,
      created: 500,
      updated: 500,
      unchanged: USERS - 500,
      failed: 0,
      skipped: 0,
    });
    const found = await integrity(federation, org.id, secondId);
    expect(found).toMatchObject({
      users: USERS + 500,
      duplicateEmails: 0,
      links: USERS + 500,
      results: USERS + 500,
      distinctResultExternalIds: USERS + 500,
      createdResults: 500,
    });
    const [{ sales }] = (await federation.sql(
      "SELECT COUNT(*) AS sales FROM users WHERE organizationId = ? AND department = 'Sales'",
      [org.id],
    )) as [{ sales: number }];
    expect(Number(sales)).toBe(500);

    // The faults happened, each was retried until the page came, and Retry-After was waited for.
    const failed = provider.answers.filter((a) => a.status !== 200);
    const rate = failed.length / provider.answers.length;
    expect(rate).toBeGreaterThan(0.1);
    expect(rate).toBeLessThan(0.3);
    expect(new Set(failed.map((a) => a.status))).toEqual(new Set([500, 502, 503, 429]));
    for (const failure of failed) {
      const retried = provider.answers.find(
        (a) => a.offset === failure.offset && a.attempt === failure.attempt + 1,
      );
      expect(retried, `page ${failure.offset} was asked again after its ${failure.status}`).toBeDefined();
      if (failure.retryAfter) expect(retried!.at - failure.at).toBeGreaterThanOrEqual(900);
    }
    const withRetryAfter = failed.filter((a) => a.retryAfter !== null);
    expect(withRetryAfter.length).toBeGreaterThan(0);
    expect(failed.some((a) => a.status === 429 && a.retryAfter === null)).toBe(true);

    const byStatus = Object.fromEntries(
      [500, 502, 503, 429].map((status) => [
        `http${status}`,
        failed.filter((a) => a.status === status).length,
      ]),
    );
    figure('flaky-provider', {
      requests: provider.answers.length,
      failed: failed.length,
      failureRate: `${Math.round(rate * 100)}%`,
      ...byStatus,
      retryAfterHonoured: withRetryAfter.length,
      firstImport: seconds(firstMs),
      secondImport: seconds(secondMs),
    });
  });
});
