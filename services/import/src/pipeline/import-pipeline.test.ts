import 'reflect-metadata';
import { openDatabase } from '@uif/database';
import {
  capturedLogger,
  createTestDatabase,
  employee,
  temporaryDirectory,
  type TestDatabase,
} from '@uif/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportJob, ImportJobStatus } from '../import-job/import-job.entity.js';
import { emptyCounts, ImportPhase } from '../import-job/import-job.types.js';
import { JobLease } from '../import-job/job-lease.js';
import { importMigrations } from '../migrations/index.js';
import { ImportResultChunk } from '../results/import-result.entity.js';
import { insertJob } from '../testing/job-rows.js';
import { ImportResultService } from '../results/import-result.service.js';
import type { ResultRow } from '../results/results-csv.js';
import { ImportSchedule } from '../schedule/import-schedule.entity.js';
import { fakeConnector, fakeDirectory } from '../testing/fake-services.js';
import { ImportPlanBatch } from './import-plan.entity.js';
import { ImportPipeline } from './import-pipeline.js';
import type { ConnectorReads, DirectoryWrites } from './matched-pages.js';

/**
 * The pipeline's phases on a real database, against in-process stand-ins for the connector and
 * directory services: what a job decides, applies and records, page by page and batch by batch.
 */
const PAGE_SIZE = 5;
const BATCH_SIZE = 25;
const { log } = capturedLogger('pipeline-test');

describe('the import pipeline', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase('uif_pipeline');
    dataSource = await openDatabase({
      service: 'import',
      databaseUrl: database.url,
      dataDir: temporaryDirectory(),
      entities: [ImportJob, ImportPlanBatch, ImportResultChunk, ImportSchedule],
      migrations: importMigrations,
    });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const pipelineWith = (connectors: ConnectorReads, directory: DirectoryWrites, leaseMs = 60_000) =>
    new ImportPipeline({
      dataSource,
      connectors,
      directory,
      log,
      batchSize: BATCH_SIZE,
      leases: new JobLease(dataSource, leaseMs),
      // A service that is down fails the call at once (0 would mean: retry forever).
      retryMs: 1,
      onProgress: () => undefined,
      onFinished: async () => undefined,
      brakes: { check: async () => null },
      onBrakeTripped: async () => undefined,
      activeLinkedUsers: async () => [],
    });

  const queuedJob = () => insertJob(dataSource);

  const jobOf = (id: string) => dataSource.getRepository(ImportJob).findOneByOrFail({ id });
  /** The job's results as the CSV download lists them, in the provider's order. */
  const resultsOf = async (jobId: string) => {
    const results: ResultRow[] = [];
    for await (const result of new ImportResultService(dataSource).all(jobId)) results.push(result);
    return results;
  };
  const planOf = (jobId: string) => dataSource.getRepository(ImportPlanBatch).countBy({ jobId });

  it('creates every new user once, in batches and in the provider’s order; a second run writes nothing', async () => {
    const people = Array.from({ length: 57 }, (_, i) => employee(i + 1));
    const connector = fakeConnector(people, { pageSize: PAGE_SIZE });
    const { directory, users, batches } = fakeDirectory();

    const first = await queuedJob();
    await pipelineWith(connector, directory).run(first);
    expect(await jobOf(first)).toMatchObject({
      status: ImportJobStatus.SUCCEEDED,
      phase: ImportPhase.DONE,
      total: 57,
      counts: { fetched: 57, created: 57, failed: 0 },
    });
    expect(users.size).toBe(57);
    expect(batches.map((batch) => batch.changes.length)).toEqual([25, 25, 7]);
    const results = await resultsOf(first);
    expect(results.map((row) => row.externalId)).toEqual(people.map((person) => String(person.id)));
    expect(new Set(results.map((row) => row.outcome))).toEqual(new Set(['CREATED']));
    expect(await planOf(first)).toBe(0);

    const again = await queuedJob();
    await pipelineWith(connector, directory).run(again);
    expect((await jobOf(again)).counts).toMatchObject({ fetched: 57, created: 0, unchanged: 57 });
    expect(batches).toHaveLength(3);
  });

  it('applies nothing when the provider fails mid-listing, and reports the users it read as skipped', async () => {
    const connector = fakeConnector(
      Array.from({ length: 80 }, (_, i) => employee(i + 1)),
      { pageSize: PAGE_SIZE, failFrom: 40 },
    );
    const { directory, batches } = fakeDirectory();
    const jobId = await queuedJob();
    await pipelineWith(connector, directory).run(jobId);

    const job = await jobOf(jobId);
    expect(job.status).toBe(ImportJobStatus.FAILED);
    expect(job.error).toContain('The provider answered 500 at offset 40');
    expect(batches).toHaveLength(0);
    const results = await resultsOf(jobId);
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results.map((row) => row.detail))).toEqual(
      new Set(['The import failed before this user was applied']),
    );
    expect(await planOf(jobId)).toBe(0);
  });

  it('resumes a job whose worker stopped mid-apply, creating each user once with one result each', async () => {
    const people = Array.from({ length: 60 }, (_, i) => employee(i + 1));
    const connector = fakeConnector(people, { pageSize: PAGE_SIZE });
    const outage = { afterBatches: 1 as number | null };
    const { directory, users } = fakeDirectory(outage);
    const jobId = await queuedJob();
    // The directory drops away after the first batch, as if this worker lost its database.
    await pipelineWith(connector, directory, 0).run(jobId);
    const stopped = await jobOf(jobId);
    expect(stopped).toMatchObject({ status: ImportJobStatus.RUNNING, phase: ImportPhase.APPLYING });
    expect(users.size).toBe(BATCH_SIZE);

    // Another worker takes it over once the lease ran out (here: at once).
    outage.afterBatches = null;
    await pipelineWith(connector, directory, 0).run(jobId);
    expect(await jobOf(jobId)).toMatchObject({
      status: ImportJobStatus.SUCCEEDED,
      counts: { fetched: 60, created: 60 },
    });
    expect(users.size).toBe(60);
    const results = await resultsOf(jobId);
    expect(results).toHaveLength(60);
    expect(new Set(results.map((row) => row.externalId)).size).toBe(60);
    expect(await planOf(jobId)).toBe(0);
  });

  it('counts a resumed job from its stored results, though its worker died before saving its counts', async () => {
    const people = Array.from({ length: 60 }, (_, i) => employee(i + 1));
    const connector = fakeConnector(people, { pageSize: PAGE_SIZE });
    const outage = { afterBatches: 2 as number | null };
    const { directory } = fakeDirectory(outage);
    const jobId = await queuedJob();
    await pipelineWith(connector, directory, 0).run(jobId);
    // The results of two batches are stored; the job row lost the counts saved with them.
    expect(await resultsOf(jobId)).toHaveLength(2 * BATCH_SIZE);
    await dataSource
      .getRepository(ImportJob)
      .update(jobId, { counts: { ...emptyCounts(), fetched: 60 }, processed: 0 });

    outage.afterBatches = null;
    await pipelineWith(connector, directory, 0).run(jobId);
    expect(await jobOf(jobId)).toMatchObject({
      status: ImportJobStatus.SUCCEEDED,
      counts: { fetched: 60, created: 60 },
      processed: 60,
    });
  });
});
