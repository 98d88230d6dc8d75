import {
  MAX_IDS_PER_READ,
  type ConnectorClient,
  type ConnectorView,
  type ProviderUserPage,
} from '@uif/connector-client';
import type { DirectoryClient, UserChange } from '@uif/directory-client';
import { bulkInsert, databaseUnreachableCode } from '@uif/database';
import { MAX_EXTERNAL_ID } from '@uif/mapping';
import { DomainError, type Logger } from '@uif/runtime';
import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { ImportJob, ImportJobStatus, ImportOperation } from '../import-job/import-job.entity.js';
import { COUNT_OF_OUTCOME, emptyCounts, ImportOutcome, ImportPhase } from '../import-job/import-job.types.js';
import { ImportResultRow } from '../results/import-result.entity.js';
import type { JobLease } from '../import-job/job-lease.js';
import type { BrakeService } from '../brake/brake.service.js';
import { decide, type ImportOptions } from './decide.js';
import { ImportPlanBatch, type PlannedChange } from './import-plan.entity.js';
import {
  matchedGroups,
  type ConnectorReads,
  type DirectoryWrites,
  type MatchedUser,
} from './matched-pages.js';
import { doubtAboutListing, type Decided } from './listing-doubt.js';
import { outcomeOf } from './outcomes.js';
import { recordImportJobEnded } from '../metrics/import-metrics.js';
import { retrying, type RetryPolicy } from './retrying.js';

export interface PipelineDependencies {
  dataSource: DataSource;
  connectors: ConnectorReads;
  directory: DirectoryWrites;
  log: Logger;
  /** Users per directory batch and per stored chunk. */
  batchSize: number;
  leases: JobLease;
  /** How long a call to a service that is down (or whose database is) is retried before the job fails. */
  retryMs: number;
  /** Told after every change of a job's progress (events, leases). */
  onProgress: (job: ImportJob) => void | Promise<void>;
  /** Told once a job has finished, whatever its status (the summary email). */
  onFinished: (job: ImportJob, connector: ConnectorView | null) => Promise<void>;
  /** Whether a plan's suspensions trip the connector's brake. */
  brakes: Pick<BrakeService, 'check'>;
  /** Told when a job stops to await approval (the email). */
  onBrakeTripped: (job: ImportJob, connector: ConnectorView) => Promise<void>;
  /** The connector's active users: those a complete listing lacks are gone from the application. */
  activeLinkedUsers: DirectoryClient['activeLinkedUsers'];
}

/** The result detail of a user suspended for being missing from a complete listing. */
export const GONE_DETAIL = 'no longer in the application';

/** Raised between batches when an admin cancelled the job. */
class Cancelled extends Error {}

const CANCEL_CHECK_MS = 500;
const FETCH_SAVE_MS = 1_000;

/** Raised when the connector may no longer be read (deactivated, not authorized). */
class ConnectorUnavailable extends DomainError {}

/**
 * Runs one import job: FETCHING reads the provider page by page, maps, matches and decides each
 * user, storing final outcomes and planned changes; APPLYING writes the plan through the
 * directory's batch interface; REPORTING closes the job. A resumed job continues where it stopped.
 */
export class ImportPipeline {
  private readonly lastCancelCheck = new WeakMap<ImportJob, number>();
  private readonly lastSaved = new WeakMap<ImportJob, number>();

  constructor(private readonly deps: PipelineDependencies) {}

  private get jobs() {
    return this.deps.dataSource.getRepository(ImportJob);
  }

  /** Runs the job if this process may take it; `claimed`: it was stored already taken by this process. */
  async run(jobId: string, claimed = false): Promise<void> {
    const job = claimed ? await this.deps.leases.heldHere(jobId) : await this.deps.leases.claim(jobId);
    if (!job) return;
    job.startedAt ??= new Date();
    await this.save(job);
    let connector: ConnectorView | null = null;
    try {
      connector = await this.usableConnector(job);
      if (job.phase === ImportPhase.QUEUED || job.phase === ImportPhase.FETCHING) {
        await this.timed(job, 'read and decided', () => this.fetch(job, connector!));
        // The plan stays stored, unapplied, until an admin approves or cancels it.
        if (job.status === ImportJobStatus.AWAITING_APPROVAL) return;
      }
      if (job.phase === ImportPhase.APPLYING) await this.timed(job, 'applied', () => this.apply(job));
      await this.finish(
        job,
        job.counts.failed > 0 ? ImportJobStatus.PARTIAL : ImportJobStatus.SUCCEEDED,
        null,
      );
    } catch (error) {
      if (databaseUnreachableCode(error)) {
        // Nothing can be recorded now: the job stays RUNNING, and once its heartbeat is older than
        // the lease a worker resumes it where it stopped.
        this.deps.log.error(
          { jobId, err: error },
          'the import database is unreachable: the job resumes later',
        );
        return;
      }
      if (error instanceof Cancelled) {
        await this.skipRemaining(job, 'The import was cancelled before this user was applied');
        await this.finish(job, ImportJobStatus.CANCELLED, null);
      } else {
        this.deps.log.warn({ jobId, err: error }, 'import job failed');
        if (job.suspendMissingUsers && job.phase === ImportPhase.FETCHING) {
          job.warnings = [
            ...job.warnings,
            'Nobody was suspended for being missing: the listing ended with an error',
          ];
        }
        await this.skipRemaining(job, 'The import failed before this user was applied');
        await this.finish(job, ImportJobStatus.FAILED, describeFailure(error));
      }
    }
    await this.deps.onFinished(job, connector);
  }

  private retryPolicy(job: ImportJob): RetryPolicy {
    return { retryMs: this.deps.retryMs, log: this.deps.log, context: { jobId: job.id } };
  }

  private async timed(job: ImportJob, what: string, work: () => Promise<void>): Promise<void> {
    const started = performance.now();
    await work();
    const seconds = Math.round(performance.now() - started) / 1000;
    this.deps.log.info({ jobId: job.id, seconds, counts: job.counts }, `import ${what} in ${seconds} s`);
  }

  private async usableConnector(job: ImportJob): Promise<ConnectorView> {
    const connector = await this.deps.connectors.connector(job.organizationId, job.connectorId);
    if (connector.state !== 'ACTIVE') {
      throw new ConnectorUnavailable(
        'CONFLICT',
        `Connector ${connector.displayLabel} is ${connector.state.toLowerCase()}: the import stopped`,
      );
    }
    if (!connector.authorized || !connector.mapping || !connector.paging) {
      throw new ConnectorUnavailable(
        'CONFLICT',
        `Connector ${connector.displayLabel} is not ready to import`,
      );
    }
    return connector;
  }

  /** Reads every page, deciding each user; a resumed fetch starts over (nothing was applied yet). */
  private async fetch(job: ImportJob, connector: ConnectorView): Promise<void> {
    await this.clearJobRows(job);
    Object.assign(job, { phase: ImportPhase.FETCHING, processed: 0, total: null, warnings: [] });
    job.counts = emptyCounts();
    await this.save(job);
    const options = importOptions(job);
    // Picked users of a provider that reads by id (SCIM) are read one by one, not found by listing
    // everyone: a selection finishes in moments whatever the application's size.
    const byId = job.selectedExternalIds !== null && readsSelectionById(connector);
    const missing: string[] = [];
    const decided: Decided = { seq: 0, suspensions: 0, listed: new Set(), unidentified: 0 };
    const connectors = retrying(this.deps.connectors, this.retryPolicy(job));
    const groups = matchedGroups(connectors, retrying(this.deps.directory, this.retryPolicy(job)), {
      organizationId: job.organizationId,
      connector,
      query: job.query,
      groupSize: this.deps.batchSize,
      onPage: async (page) => {
        await this.checkCancelled(job);
        job.total = page.total ?? job.total;
        job.warnings = [...new Set([...job.warnings, ...page.warnings])];
        job.counts.fetched += page.count;
        await this.pageRead(job);
      },
      ...(byId ? { pages: selectedUsers(job, connectors, missing) } : {}),
    });
    for await (const group of groups) await this.decideGroup(job, options, group.users, decided);
    await this.reportMissing(job, missing, decided.seq);
    decided.seq += missing.length;
    const gone = job.suspendMissingUsers ? await this.planGone(job, decided) : 0;
    job.total = job.counts.fetched + missing.length + gone;
    job.phase = ImportPhase.APPLYING;
    // SCIM connectors import new users only: nothing of theirs is ever suspended.
    if (connector.kind !== 'SCIM') {
      job.brakeTrip = await this.deps.brakes.check(job.organizationId, job.connectorId, decided.suspensions);
    }
    // A dry run reports that the brake would trip, and goes on to answer what would happen.
    if (job.brakeTrip && !job.dryRun) job.status = ImportJobStatus.AWAITING_APPROVAL;
    await this.save(job);
    if (job.status === ImportJobStatus.AWAITING_APPROVAL) {
      this.deps.log.warn(
        { jobId: job.id, brakeTrip: job.brakeTrip },
        'the planned suspensions tripped the brake: the import awaits approval',
      );
      await this.deps.onBrakeTripped(job, connector);
    }
  }

  /**
   * Plans the suspension of the connector's active users that the listing no longer has, when the
   * listing was surely complete; otherwise says in the warnings why nobody was. Answers how many.
   */
  private async planGone(job: ImportJob, decided: Decided): Promise<number> {
    const doubt = doubtAboutListing(job, decided);
    if (doubt) {
      job.warnings = [...job.warnings, `Nobody was suspended for being missing: ${doubt}`];
      return 0;
    }
    const linked = await this.deps.activeLinkedUsers({
      organizationId: job.organizationId,
      connectorId: job.connectorId,
    });
    const plans = linked
      .filter((user) => !decided.listed.has(user.externalId))
      .map((user, index): PlannedChange => ({
        seq: decided.seq + index,
        externalId: user.externalId,
        email: null,
        username: null,
        action: 'suspend',
        userId: user.userId,
        attributes: null,
        detail: GONE_DETAIL,
      }));
    await this.deps.dataSource.transaction((manager) => this.storePlan(manager, job, plans));
    decided.seq += plans.length;
    decided.suspensions += plans.length;
    return plans.length;
  }

  /** Drops the plan of a job cancelled before it was applied: its users are reported skipped. */
  async dropPlan(job: ImportJob): Promise<void> {
    await this.skipRemaining(job, 'The import was cancelled before this user was applied');
    await this.finish(job, ImportJobStatus.CANCELLED, null);
    const connector = await this.deps.connectors
      .connector(job.organizationId, job.connectorId)
      .catch(() => null);
    await this.deps.onFinished(job, connector);
  }

  /** Picked users the provider no longer has: reported skipped, saying so. */
  private async reportMissing(job: ImportJob, missing: string[], firstSeq: number): Promise<void> {
    const rows = missing.map((externalId, index) =>
      resultRow(job, {
        seq: firstSeq + index,
        externalId,
        email: null,
        username: null,
        outcome: ImportOutcome.SKIPPED,
        detail: 'The application has no user with this id any more',
        userId: null,
      }),
    );
    await bulkInsert(this.deps.dataSource.manager, ImportResultRow, rows);
    countOutcomes(job, rows);
  }

  private async decideGroup(
    job: ImportJob,
    options: ImportOptions,
    users: MatchedUser[],
    decided: Decided,
  ): Promise<void> {
    const firstSeq = decided.seq;
    const finals: ImportResultRow[] = [];
    const plans: PlannedChange[] = [];
    users.forEach(({ mapped: user, match, current }, index) => {
      const identity = {
        seq: firstSeq + index,
        email: textOrNull(user.attributes.email),
        username: textOrNull(user.attributes.username),
      };
      const decision = decide(user, match, options, current);
      if (decision.kind === 'final') {
        finals.push(
          resultRow(job, {
            ...identity,
            externalId: user.externalId?.slice(0, MAX_EXTERNAL_ID) ?? null,
            outcome: ImportOutcome[decision.outcome],
            detail: decision.detail,
            userId: decision.userId,
          }),
        );
      } else {
        plans.push({
          ...identity,
          externalId: user.externalId!,
          action: decision.action,
          userId: decision.userId,
          attributes: decision.attributes,
        });
      }
    });
    await this.deps.dataSource.transaction(async (manager) => {
      await bulkInsert(manager, ImportResultRow, finals);
      await this.storePlan(manager, job, plans);
    });
    countOutcomes(job, finals);
    decided.seq += users.length;
    decided.suspensions += plans.filter((change) => change.action === 'suspend').length;
    for (const { mapped } of users) {
      if (mapped.externalId) decided.listed.add(mapped.externalId);
      else decided.unidentified += 1;
    }
  }

  /** Stores planned changes cut at the batch size (a group may hold a page more than a batch). */
  private async storePlan(manager: EntityManager, job: ImportJob, plans: PlannedChange[]): Promise<void> {
    const batches: ImportPlanBatch[] = [];
    for (let start = 0; start < plans.length; start += this.deps.batchSize) {
      const changes = plans.slice(start, start + this.deps.batchSize);
      batches.push(Object.assign(new ImportPlanBatch(), { jobId: job.id, seq: changes[0]!.seq, changes }));
    }
    await bulkInsert(manager, ImportPlanBatch, batches);
  }

  /**
   * Applies the plan a batch at a time, in the order the provider listed the users. A batch's
   * results are recorded while the next batch is applied: a crash between the two leaves both in
   * the plan, and the directory answers a replayed batch as it did the first time.
   */
  private async apply(job: ImportJob): Promise<void> {
    const plan = this.deps.dataSource.getRepository(ImportPlanBatch);
    const directory = retrying(this.deps.directory, this.retryPolicy(job));
    let recording: Promise<void> = Promise.resolve();
    let after = -1;
    try {
      for (;;) {
        await this.checkCancelled(job);
        const [, batch] = await Promise.all([
          // A connector deactivated meanwhile stops the job: nothing more is written for it.
          this.usableConnector(job),
          plan.findOne({ where: { jobId: job.id, seq: MoreThan(after) }, order: { seq: 'ASC' } }),
        ]);
        if (!batch) return;
        const { results } = await directory.applyUserBatch({
          organizationId: job.organizationId,
          connectorId: job.connectorId,
          importJobId: job.id,
          actor: job.startedBy,
          changes: batch.changes.flatMap(changesOf),
          dryRun: job.dryRun,
        });
        await recording;
        recording = this.recordApplied(job, batch, results);
        // Awaited before the next batch's, or in `finally`: not an unhandled rejection meanwhile.
        recording.catch(() => undefined);
        after = batch.seq;
      }
    } finally {
      await recording;
    }
  }

  /** The results of an applied batch, stored as the batch leaves the plan. */
  private async recordApplied(
    job: ImportJob,
    batch: ImportPlanBatch,
    results: Awaited<ReturnType<DirectoryClient['applyUserBatch']>>['results'],
  ): Promise<void> {
    const applied = this.resultRows(job, batch.changes, results);
    await this.deps.dataSource.transaction(async (manager) => {
      await bulkInsert(manager, ImportResultRow, applied);
      await manager.delete(ImportPlanBatch, { jobId: job.id, seq: batch.seq });
    });
    countOutcomes(job, applied);
    await this.save(job);
  }

  private resultRows(
    job: ImportJob,
    changes: PlannedChange[],
    results: Awaited<ReturnType<DirectoryClient['applyUserBatch']>>['results'],
  ) {
    let next = 0;
    return changes.map((change) => {
      const count = changesOf(change).length;
      const { outcome, detail, userId, changes } = outcomeOf(results.slice(next, next + count));
      next += count;
      return resultOfPlanned(job, change, {
        outcome,
        detail: change.detail ?? detail,
        userId: userId ?? change.userId,
        changes,
      });
    });
  }

  /** What was applied stays; what was not is reported as skipped, saying why. */
  private async skipRemaining(job: ImportJob, detail: string): Promise<void> {
    const batches = await this.deps.dataSource
      .getRepository(ImportPlanBatch)
      .find({ where: { jobId: job.id } });
    const skipped = batches.flatMap((batch) =>
      batch.changes.map((change) =>
        resultOfPlanned(job, change, {
          outcome: ImportOutcome.SKIPPED,
          detail,
          userId: change.userId,
          changes: null,
        }),
      ),
    );
    await this.deps.dataSource.transaction(async (manager) => {
      await bulkInsert(manager, ImportResultRow, skipped);
      await manager.delete(ImportPlanBatch, { jobId: job.id });
    });
    countOutcomes(job, skipped);
  }

  /** Asks the database whether an admin cancelled the job, at most twice a second. */
  private async checkCancelled(job: ImportJob): Promise<void> {
    const now = Date.now();
    if (now - (this.lastCancelCheck.get(job) ?? 0) < CANCEL_CHECK_MS) return;
    this.lastCancelCheck.set(job, now);
    const current = await this.jobs.findOne({
      where: { id: job.id },
      select: { id: true, cancelRequestedAt: true },
    });
    if (current?.cancelRequestedAt) throw new Cancelled();
  }

  /**
   * After a page: subscribers hear of it at once, the database at most once a second (a crash
   * while reading starts the reading over anyway).
   */
  private async pageRead(job: ImportJob): Promise<void> {
    const now = Date.now();
    if (now - (this.lastSaved.get(job) ?? 0) < FETCH_SAVE_MS) {
      await this.deps.onProgress(job);
      return;
    }
    await this.save(job);
  }

  private async finish(job: ImportJob, status: ImportJobStatus, error: string | null): Promise<void> {
    job.status = status;
    job.error = error;
    job.phase = ImportPhase.REPORTING;
    job.finishedAt = new Date();
    await this.save(job);
    job.phase = ImportPhase.DONE;
    await this.save(job);
    recordImportJobEnded(job);
  }

  private async clearJobRows(job: ImportJob): Promise<void> {
    await this.deps.dataSource.transaction(async (manager) => {
      await manager.delete(ImportPlanBatch, { jobId: job.id });
      await manager.delete(ImportResultRow, { jobId: job.id });
    });
  }

  private async save(job: ImportJob): Promise<void> {
    this.lastSaved.set(job, Date.now());
    await this.jobs.update(
      { id: job.id },
      {
        status: job.status,
        phase: job.phase,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        total: job.total,
        processed: job.processed,
        counts: job.counts,
        warnings: job.warnings,
        error: job.error,
        workerId: job.workerId,
        brakeTrip: job.brakeTrip,
      },
    );
    await this.deps.onProgress(job);
  }
}

type ResultFields = Pick<
  ImportResultRow,
  'seq' | 'externalId' | 'email' | 'username' | 'outcome' | 'detail' | 'userId'
> &
  Partial<Pick<ImportResultRow, 'changes'>>;

/** A result row of the job. */
function resultRow(job: ImportJob, fields: ResultFields): ImportResultRow {
  return Object.assign(new ImportResultRow(), {
    jobId: job.id,
    organizationId: job.organizationId,
    changes: null,
    ...fields,
  });
}

/** The result row of a planned change, once its outcome is known. */
function resultOfPlanned(
  job: ImportJob,
  change: PlannedChange,
  outcome: Pick<ImportResultRow, 'outcome' | 'detail' | 'userId' | 'changes'>,
): ImportResultRow {
  const { seq, externalId, email, username } = change;
  return resultRow(job, { seq, externalId, email, username, ...outcome });
}

/** The selected users, read by id a request at a time; ids the provider no longer has go to `missing`. */
async function* selectedUsers(
  job: ImportJob,
  connectors: Pick<ConnectorClient, 'usersById'>,
  missing: string[],
): AsyncGenerator<ProviderUserPage> {
  const ids = job.selectedExternalIds ?? [];
  for (let offset = 0; offset < ids.length; offset += MAX_IDS_PER_READ) {
    const read = await connectors.usersById(
      job.organizationId,
      job.connectorId,
      ids.slice(offset, offset + MAX_IDS_PER_READ),
    );
    missing.push(...read.missing);
    yield { offset, users: read.users, total: ids.length, warnings: [] };
  }
}

/** Selected ids are the provider's own ids (the default external id path) and it reads them one by one. */
function readsSelectionById(connector: ConnectorView): boolean {
  return connector.readsById && connector.mapping?.externalIdPath === '$.id';
}

function importOptions(job: ImportJob): ImportOptions {
  return {
    create: job.operations.includes(ImportOperation.USER_CREATE),
    update: job.operations.includes(ImportOperation.USER_UPDATE),
    allowUserReactivation: job.allowUserReactivation,
    selected: job.selectedExternalIds ? new Set(job.selectedExternalIds) : null,
  };
}

/** The directory changes of one planned user: the attribute update first, then the state change. */
function changesOf(change: PlannedChange): UserChange[] {
  const { externalId, action } = change;
  const userId = change.userId ?? undefined;
  if (action !== 'create' && action !== 'update' && change.attributes === null) {
    return [{ kind: action, externalId, userId }];
  }
  const attributes = change.attributes ?? {};
  if (action === 'create') {
    return [
      {
        kind: 'create',
        externalId,
        attributes: attributes as Extract<UserChange, { kind: 'create' }>['attributes'],
      },
    ];
  }
  const update: UserChange = { kind: 'update', externalId, userId, attributes };
  if (action === 'update') return [update];
  return [update, { kind: action, externalId, userId }];
}

function countOutcomes(job: ImportJob, rows: ImportResultRow[]): void {
  for (const row of rows) job.counts[COUNT_OF_OUTCOME[row.outcome]] += 1;
  job.processed += rows.length;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, 255) : null;
}

function describeFailure(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  return `The import stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
