import {
  MAX_IDS_PER_READ,
  type ConnectorClient,
  type ConnectorView,
  type ProviderUserPage,
} from '@uif/connector-client';
import { bulkInsert, databaseUnreachableCode } from '@uif/database';
import { MAX_EXTERNAL_ID } from '@uif/mapping';
import { ImportJobStatus, ImportOperation, type ImportJob } from '../import-job/import-job.entity.js';
import { emptyCounts, ImportOutcome, ImportPhase } from '../import-job/import-job.types.js';
import { ImportResultRow } from '../results/import-result.entity.js';
import { ApplyPhase } from './apply-phase.js';
import { decide, type ImportOptions } from './decide.js';
import type { PlannedChange } from './import-plan.entity.js';
import { JobFinish } from './job-finish.js';
import { Cancelled, JobProgress } from './job-progress.js';
import { doubtAboutListing, type Decided } from './listing-doubt.js';
import { matchedGroups, type MatchedUser } from './matched-pages.js';
import { retryPolicyOf, type PipelineDependencies } from './pipeline-dependencies.js';
import { PlanStore } from './plan-store.js';
import { countOutcomes, resultRow } from './result-rows.js';
import { retrying } from './retrying.js';
import { usableConnector } from './usable-connector.js';

/** The result detail of a user suspended for being missing from a complete listing. */
export const GONE_DETAIL = 'no longer in the application';

/**
 * Runs one import job: FETCHING reads the provider page by page, maps, matches and decides each
 * user, storing final outcomes and planned changes; APPLYING writes the plan through the
 * directory's batch interface; REPORTING closes the job. A resumed job continues where it stopped.
 */
export class ImportPipeline {
  private readonly progress: JobProgress;
  private readonly plans: PlanStore;
  private readonly apply: ApplyPhase;
  private readonly finishing: JobFinish;

  constructor(private readonly deps: PipelineDependencies) {
    this.progress = new JobProgress(deps);
    this.plans = new PlanStore(deps);
    this.apply = new ApplyPhase(deps, this.progress, this.plans);
    this.finishing = new JobFinish(deps, this.progress, this.plans);
  }

  /** Runs the job if this process may take it; `claimed`: it was stored already taken by this process. */
  async run(jobId: string, claimed = false): Promise<void> {
    const job = claimed ? await this.deps.leases.heldHere(jobId) : await this.deps.leases.claim(jobId);
    if (!job) return;
    job.startedAt ??= new Date();
    await this.progress.save(job);
    let connector: ConnectorView | null = null;
    try {
      connector = await usableConnector(this.deps.connectors, job);
      if (job.phase === ImportPhase.QUEUED || job.phase === ImportPhase.FETCHING) {
        await this.timed(job, 'read and decided', () => this.fetch(job, connector!));
        // The plan stays stored, unapplied, until an admin approves or cancels it.
        if (job.status === ImportJobStatus.AWAITING_APPROVAL) return;
      }
      if (job.phase === ImportPhase.APPLYING) await this.timed(job, 'applied', () => this.apply.run(job));
      await this.finishing.completed(job);
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
      if (error instanceof Cancelled) await this.finishing.cancelled(job);
      else await this.finishing.failed(job, error);
    }
    await this.deps.onFinished(job, connector);
  }

  private async timed(job: ImportJob, what: string, work: () => Promise<void>): Promise<void> {
    const started = performance.now();
    await work();
    const seconds = Math.round(performance.now() - started) / 1000;
    this.deps.log.info({ jobId: job.id, seconds, counts: job.counts }, `import ${what} in ${seconds} s`);
  }

  /** Reads every page, deciding each user; a resumed fetch starts over (nothing was applied yet). */
  private async fetch(job: ImportJob, connector: ConnectorView): Promise<void> {
    await this.plans.clear(job);
    Object.assign(job, { phase: ImportPhase.FETCHING, processed: 0, total: null, warnings: [] });
    job.counts = emptyCounts();
    await this.progress.save(job);
    const options = importOptions(job);
    // Picked users of a provider that reads by id (SCIM) are read one by one, not found by listing
    // everyone: a selection finishes in moments whatever the application's size.
    const byId = job.selectedExternalIds !== null && readsSelectionById(connector);
    const missing: string[] = [];
    const decided: Decided = { seq: 0, suspensions: 0, listed: new Set(), unidentified: 0 };
    const connectors = retrying(this.deps.connectors, retryPolicyOf(this.deps, job));
    const groups = matchedGroups(connectors, retrying(this.deps.directory, retryPolicyOf(this.deps, job)), {
      organizationId: job.organizationId,
      connector,
      query: job.query,
      groupSize: this.deps.batchSize,
      onPage: async (page) => {
        await this.progress.checkCancelled(job);
        job.total = page.total ?? job.total;
        job.warnings = [...new Set([...job.warnings, ...page.warnings])];
        job.counts.fetched += page.count;
        await this.progress.pageRead(job);
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
    await this.progress.save(job);
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
    await this.plans.store(job, plans);
    decided.seq += plans.length;
    decided.suspensions += plans.length;
    return plans.length;
  }

  /** Drops the plan of a job cancelled before it was applied: its users are reported skipped. */
  async dropPlan(job: ImportJob): Promise<void> {
    await this.finishing.cancelled(job);
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
    await this.plans.store(job, plans, finals);
    countOutcomes(job, finals);
    decided.seq += users.length;
    decided.suspensions += plans.filter((change) => change.action === 'suspend').length;
    for (const { mapped } of users) {
      if (mapped.externalId) decided.listed.add(mapped.externalId);
      else decided.unidentified += 1;
    }
  }
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

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, 255) : null;
}
