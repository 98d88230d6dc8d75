import { importConfigSchema, startImport } from '@uif/import';
import { parseConfig } from '@uif/runtime';
import { dataOf, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnImportService } from '../faults/drill.js';
import { startFederation, type Federation } from './federation.js';
import { activeConnector, directoryUsers, employee, startHr, waitForJob } from './import-helpers.js';

describe('an import whose worker dies', () => {
  let federation: Federation;
  let hr: HrProvider;
  let restarted: Awaited<ReturnType<typeof startImport>> | null = null;
  beforeAll(async () => {
    federation = await startFederation({
      importEnv: { IMPORT_BATCH_SIZE: '1', IMPORT_LEASE_SECONDS: '1', IMPORT_HEARTBEAT_SECONDS: '0.2' },
    });
    hr = await startHr(Array.from({ length: 300 }, (_, i) => employee(i + 1)));
  });
  afterAll(async () => {
    await restarted?.stop();
    await hr?.close();
    await federation?.stop();
  });

  it('is taken over after its lease and finishes, with no user created twice', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url, 100);
    await federation.imports.stop();
    const worker = await spawnImportService(federation.importEnv);

    const { startImport: started } = dataOf(
      await org.query<{ startImport: { id: string } }>(
        'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
        {
          input: { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] },
        },
      ),
    );
    // Kill the worker in the middle of applying the plan.
    for (let progress = 0; progress < 40;) {
      const { importJob } = dataOf(
        await org.query<{ importJob: { progress: { phase: string; processed: number } } }>(
          'query ($id: ID!) { importJob(id: $id) { progress { phase processed } } }',
          { id: started.id },
        ),
      );
      progress = importJob.progress.phase === 'APPLYING' ? importJob.progress.processed : 0;
    }
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    const applied = (await directoryUsers(org)).totalCount;
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThan(300);

    restarted = await startImport(parseConfig('import', importConfigSchema, federation.importEnv));
    const job = await waitForJob(org, started.id, 60_000);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ fetched: 300 });
    expect((job.counts.created ?? 0) + (job.counts.unchanged ?? 0)).toBe(300);
    const users = await directoryUsers(org);
    expect(users.totalCount).toBe(300);
    expect(new Set(users.nodes.map((u) => u.email)).size).toBe(300);
  });
});
