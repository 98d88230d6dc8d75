import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HrProvider } from '@uif/testing';
import { startFederation, type Federation } from './federation.js';
import { activeConnector, directoryUsers, employee, runImport, startHr } from './import-helpers.js';

describe('imports with REDIS_URL set (BullMQ)', () => {
  let federation: Federation;
  let hr: HrProvider;
  beforeAll(async () => {
    federation = await startFederation({
      importEnv: {
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        // A queue of its own: other runs on the same Redis must not take this run's jobs.
        IMPORT_QUEUE_NAME: `uif-test-${randomBytes(4).toString('hex')}`,
      },
    });
    hr = await startHr(
      Array.from({ length: 9 }, (_, i) => employee(i + 1, i === 4 ? { status: 'Leave' } : {})),
    );
  });
  afterAll(async () => {
    await hr?.close();
    await federation?.stop();
  });

  it('runs the same pipeline through the Redis queue', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url);
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ fetched: 9, created: 8, skipped: 1 });
    expect((await directoryUsers(org)).totalCount).toBe(8);
  });
});
