import { openDatabase } from '@uif/database';
import { createTestDatabase, temporaryDirectory, type TestDatabase } from '@uif/testing';
import type { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportJob } from '../import-job/import-job.entity.js';
import { ImportOutcome } from '../import-job/import-job.types.js';
import { ImportPlanBatch } from '../pipeline/import-plan.entity.js';
import { ImportResultChunk } from '../results/import-result.entity.js';
import { ImportResultService } from '../results/import-result.service.js';
import { insertJob } from '../testing/job-rows.js';
import { importMigrations } from './index.js';

type Dialect = 'mysql' | 'sqlite';

const OUTCOMES = [
  ImportOutcome.CREATED,
  ImportOutcome.UNCHANGED,
  ImportOutcome.UPDATED,
  ImportOutcome.FAILED,
];
/** More than one conversion read (1,000 rows) of one job. */
const RESULTS = 2_345;

/** A result row as the table before the chunks held it. */
function oldRow(jobId: string, seq: number) {
  const outcome = OUTCOMES[seq % OUTCOMES.length]!;
  return {
    jobId,
    seq,
    organizationId: 'org-1',
    externalId: `ext-${seq}`,
    email: `user${seq}@example.com`,
    username: seq % 7 === 0 ? null : `user${seq}`,
    outcome,
    detail: outcome === ImportOutcome.FAILED ? `email: "${seq}" is not an email` : null,
    userId: outcome === ImportOutcome.FAILED ? null : `user-${seq}`,
    changes:
      outcome === ImportOutcome.UPDATED
        ? JSON.stringify([{ attribute: 'department', from: 'Sales', to: `Team ${seq}` }])
        : null,
  };
}

describe.each<Dialect>(['mysql', 'sqlite'])('moving results into chunks, on %s', (dialect) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function database(): Promise<{ open: (migrations: typeof importMigrations) => Promise<DataSource> }> {
    const dataDir = temporaryDirectory();
    let mysql: TestDatabase | undefined;
    if (dialect === 'mysql') {
      mysql = await createTestDatabase('uif_result_chunks');
      cleanups.push(() => mysql!.drop());
    }
    return {
      open: async (migrations) => {
        const dataSource = await openDatabase({
          service: 'import',
          databaseUrl: mysql?.url,
          dataDir,
          entities: [ImportJob, ImportPlanBatch, ImportResultChunk],
          migrations,
        });
        cleanups.push(async () => dataSource.isInitialized && (await dataSource.destroy()));
        return dataSource;
      },
    };
  }

  it('keeps every result of every job, in order, with its changes, and gives them back when undone', async () => {
    const { open } = await database();
    const before = await open(importMigrations.slice(0, -1));
    const rows = [
      ...Array.from({ length: RESULTS }, (_, seq) => oldRow('job-big', seq)),
      ...[0, 1, 2].map((seq) => oldRow('job-small', seq)),
    ];
    for (const id of ['job-big', 'job-small']) await insertJob(before, { id });
    const columns = Object.keys(rows[0]!);
    for (let start = 0; start < rows.length; start += 500) {
      const part = rows.slice(start, start + 500);
      await before.query(
        `INSERT INTO import_results (${columns.join(', ')}) VALUES ${part.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`,
        part.flatMap((row) => Object.values(row)),
      );
    }
    await before.destroy();

    const after = await open(importMigrations);
    const results = new ImportResultService(after);
    const all = [];
    for await (const result of results.all('job-big')) all.push(result);
    expect(all).toEqual(
      rows
        .filter((row) => row.jobId === 'job-big')
        .map(({ externalId, email, username, outcome, detail, userId }) => ({
          externalId,
          email,
          username,
          outcome,
          detail,
          userId,
        })),
    );
    const updated = await results.page('job-big', 2, null, ImportOutcome.UPDATED);
    expect(updated.totalCount).toBe(Math.ceil((RESULTS - 2) / OUTCOMES.length));
    expect(updated.nodes.map((node) => [node.externalId, node.changes])).toEqual([
      ['ext-2', [{ attribute: 'department', from: 'Sales', to: 'Team 2' }]],
      ['ext-6', [{ attribute: 'department', from: 'Sales', to: 'Team 6' }]],
    ]);
    expect((await results.page('job-small', 10, null, null)).totalCount).toBe(3);

    await after.undoLastMigration({ transaction: 'each' });
    const restored = (await after.query(
      `SELECT ${columns.join(', ')} FROM import_results ORDER BY jobId, seq`,
    )) as Record<string, unknown>[];
    expect(restored.map((row) => ({ ...row, seq: Number(row.seq) }))).toEqual(
      [...rows].sort((a, b) => a.jobId.localeCompare(b.jobId) || a.seq - b.seq),
    );
  });
});
