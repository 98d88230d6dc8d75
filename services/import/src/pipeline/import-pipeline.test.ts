import 'reflect-metadata';
import type { ConnectorView, ProviderUserPage } from '@uif/connector-client';
import { openDatabase } from '@uif/database';
import {
  attributeFingerprint,
  type UserBatch,
  type UserBatchResult,
  type UserMatch,
  type UserMatchRequest,
} from '@uif/directory-client';
import { DomainError } from '@uif/runtime';
import {
  capturedLogger,
  createTestDatabase,
  employee,
  temporaryDirectory,
  type TestDatabase,
} from '@uif/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImportJob,
  ImportJobStatus,
  ImportOperation,
  ImportTrigger,
} from '../import-job/import-job.entity.js';
import { emptyCounts, ImportPhase } from '../import-job/import-job.types.js';
import { JobLease } from '../import-job/job-lease.js';
import { importMigrations } from '../migrations/index.js';
import { ImportResultRow } from '../results/import-result.entity.js';
import { ImportSchedule } from '../schedule/import-schedule.entity.js';
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

/** A provider of `users` behind the connector service, failing from `failFrom` on when set. */
function fakeConnector(users: unknown[], options: { failFrom?: number } = {}) {
  const view: ConnectorView = {
    id: 'connector-1',
    organizationId: 'org-1',
    displayLabel: 'Acme HR',
    kind: 'CUSTOM_API',
    state: 'ACTIVE',
    authorized: true,
    mapping: {
      entries: [
        { target: 'EMAIL', sourcePath: '$.email' },
        { target: 'USERNAME', sourcePath: '$.login' },
        { target: 'FIRSTNAME', sourcePath: '$.first' },
        { target: 'LASTNAME', sourcePath: '$.last' },
      ],
      externalIdPath: '$.id',
      statusPath: null,
      inactiveStatuses: [],
      activeStatuses: [],
    },
    paging: { pageSize: PAGE_SIZE, offsetParam: 'offset' },
    readsById: false,
  };
  const connector: ConnectorReads = {
    connector: async () => view,
    userPage: async (_organizationId, _connectorId, { offset, pageSize }): Promise<ProviderUserPage> => {
      if (options.failFrom !== undefined && offset >= options.failFrom)
        throw new DomainError('PROVIDER_ERROR', `The provider answered 500 at offset ${offset}`);
      return { offset, users: users.slice(offset, offset + pageSize), total: users.length, warnings: [] };
    },
    usersById: async () => ({ users: [], missing: [] }),
  };
  return connector;
}

/**
 * The directory service: users linked by external id, each batch recorded. While `outage.afterBatches`
 * batches have been applied, it is unreachable (as its database would be).
 */
function fakeDirectory(outage: { afterBatches: number | null } = { afterBatches: null }) {
  const users = new Map<string, { userId: string; attributes: Record<string, unknown> }>();
  const batches: UserBatch[] = [];
  const directory: DirectoryWrites = {
    matchUsers: async ({ candidates, fingerprintOf }: UserMatchRequest) =>
      candidates.map(({ externalId }): UserMatch | null => {
        const user = users.get(externalId);
        return user
          ? {
              userId: user.userId,
              state: 'ACTIVE',
              matchedBy: 'link',
              fingerprint: attributeFingerprint(user.attributes, fingerprintOf ?? []),
            }
          : null;
      }),
    applyUserBatch: async (batch: UserBatch): Promise<UserBatchResult> => {
      if (outage.afterBatches === batches.length)
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      batches.push(batch);
      return {
        results: batch.changes.map((change) => {
          const known = users.get(change.externalId);
          if (change.kind !== 'create' || known)
            return { externalId: change.externalId, outcome: 'unchanged', userId: known?.userId };
          const userId = `user-${users.size + 1}`;
          users.set(change.externalId, { userId, attributes: change.attributes });
          return { externalId: change.externalId, outcome: 'created', userId };
        }),
      };
    },
  };
  return { directory, users, batches };
}

describe('the import pipeline', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase('uif_pipeline');
    dataSource = await openDatabase({
      service: 'import',
      databaseUrl: database.url,
      dataDir: temporaryDirectory(),
      entities: [ImportJob, ImportPlanBatch, ImportResultRow, ImportSchedule],
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

  async function queuedJob(): Promise<string> {
    const job = dataSource.getRepository(ImportJob).create({
      id: `job-${Math.random().toString(36).slice(2)}`,
      organizationId: 'org-1',
      connectorId: 'connector-1',
      trigger: ImportTrigger.MANUAL,
      operations: [ImportOperation.USER_CREATE, ImportOperation.USER_UPDATE],
      allowUserReactivation: false,
      query: null,
      selectedExternalIds: null,
      sendEmail: false,
      status: ImportJobStatus.QUEUED,
      phase: ImportPhase.QUEUED,
      startedBy: 'test',
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
      total: null,
      processed: 0,
      counts: emptyCounts(),
      warnings: [],
      error: null,
      cancelRequestedAt: null,
      heartbeatAt: null,
      workerId: null,
    });
    await dataSource.getRepository(ImportJob).insert(job);
    return job.id;
  }

  const jobOf = (id: string) => dataSource.getRepository(ImportJob).findOneByOrFail({ id });
  const resultsOf = (jobId: string) =>
    dataSource.getRepository(ImportResultRow).find({ where: { jobId }, order: { seq: 'ASC' } });
  const planOf = (jobId: string) => dataSource.getRepository(ImportPlanBatch).countBy({ jobId });

  it('creates every new user once, in batches and in the provider’s order; a second run writes nothing', async () => {
    const people = Array.from({ length: 57 }, (_, i) => employee(i + 1));
    const connector = fakeConnector(people);
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
      { failFrom: 40 },
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
    const connector = fakeConnector(people);
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
    const connector = fakeConnector(people);
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
