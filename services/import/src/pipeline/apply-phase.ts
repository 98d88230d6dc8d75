import type { UserBatchResult, UserChange } from '@uif/directory-client';
import type { ImportJob } from '../import-job/import-job.entity.js';
import type { ImportPlanBatch, PlannedChange } from './import-plan.entity.js';
import type { JobProgress } from './job-progress.js';
import { outcomeOf } from './outcomes.js';
import { retryPolicyOf, type PipelineDependencies } from './pipeline-dependencies.js';
import type { PlanStore } from './plan-store.js';
import { countOutcomes, resultOfPlanned } from './result-rows.js';
import { retrying } from './retrying.js';
import { usableConnector } from './usable-connector.js';

/**
 * Planned users a dry run sends the directory at once (whole batches, until they hold this many or
 * more). The directory plans a request against itself as it stands, so users of one request see
 * each other (a second user with one email, the license filling up) as a real run's later batches
 * see the earlier ones' writes.
 */
export const DRY_RUN_USERS_AT_ONCE = 20_000;

export const DRY_RUN_WARNING =
  `This dry run planned more than ${DRY_RUN_USERS_AT_ONCE.toLocaleString('en-US')} users: a duplicate email, ` +
  `username or employee identifier, or the license limit, is found only among ${DRY_RUN_USERS_AT_ONCE.toLocaleString('en-US')} users at a time`;

/** APPLYING: writes the stored plan through the directory's batch interface, recording each user's result. */
export class ApplyPhase {
  constructor(
    private readonly deps: Pick<PipelineDependencies, 'connectors' | 'directory' | 'retryMs' | 'log'>,
    private readonly progress: Pick<JobProgress, 'save' | 'checkCancelled'>,
    private readonly plans: Pick<PlanStore, 'next' | 'resolve' | 'recount'>,
  ) {}

  /**
   * Applies the plan a batch at a time, in the order the provider listed the users. A batch's
   * results are recorded while the next batch is applied: a crash between the two leaves both in
   * the plan, and the directory answers a replayed batch as it did the first time.
   */
  async run(job: ImportJob): Promise<void> {
    const directory = retrying(this.deps.directory, retryPolicyOf(this.deps, job));
    // A job taken over from a worker that died counts from its stored results, not its saved row.
    await this.plans.recount(job);
    let recording: Promise<void> = Promise.resolve();
    // The next group is read from the plan while the directory applies this one.
    const readAfter = (seq: number) => {
      const read = this.nextGroup(job, seq);
      read.catch(() => undefined); // awaited at the next turn; a stop before it leaves it unread
      return read;
    };
    let upcoming = readAfter(-1);
    try {
      for (let first = true; ; first = false) {
        await this.progress.checkCancelled(job);
        const [, group] = await Promise.all([
          // A connector deactivated meanwhile stops the job: nothing more is written for it.
          usableConnector(this.deps.connectors, job),
          upcoming,
        ]);
        if (group.length === 0) return;
        upcoming = readAfter(group.at(-1)!.seq);
        if (!first && job.dryRun && !job.warnings.includes(DRY_RUN_WARNING))
          job.warnings = [...job.warnings, DRY_RUN_WARNING];
        const { results } = await directory.applyUserBatch({
          organizationId: job.organizationId,
          connectorId: job.connectorId,
          importJobId: job.id,
          actor: job.startedBy,
          changes: group.flatMap((batch) => batch.changes.flatMap(changesOf)),
          dryRun: job.dryRun,
        });
        await recording;
        recording = this.recordApplied(job, group, results);
        // Awaited before the next group's, or in `finally`: not an unhandled rejection meanwhile.
        recording.catch(() => undefined);
      }
    } finally {
      await recording;
    }
  }

  /** The next stored batch; for a dry run, the next batches until they hold DRY_RUN_USERS_AT_ONCE users. */
  private async nextGroup(job: ImportJob, after: number): Promise<ImportPlanBatch[]> {
    const group: ImportPlanBatch[] = [];
    let users = 0;
    for (
      let batch = await this.plans.next(job, after);
      batch;
      batch = await this.plans.next(job, batch.seq)
    ) {
      group.push(batch);
      users += batch.changes.length;
      if (!job.dryRun || users >= DRY_RUN_USERS_AT_ONCE) break;
    }
    return group;
  }

  /** The results of applied batches, each stored as its batch leaves the plan. */
  private async recordApplied(
    job: ImportJob,
    group: ImportPlanBatch[],
    results: UserBatchResult['results'],
  ): Promise<void> {
    let next = 0;
    for (const batch of group) {
      const sent = batch.changes.reduce((count, change) => count + changesOf(change).length, 0);
      const applied = resultRows(batch.changes, results.slice(next, next + sent));
      next += sent;
      await this.plans.resolve(job, applied, batch.seq);
      countOutcomes(job, applied);
    }
    await this.progress.save(job);
  }
}

/** Each planned user's result, from the directory's answers to its changes (in the order they were sent). */
function resultRows(changes: PlannedChange[], results: UserBatchResult['results']) {
  let next = 0;
  return changes.map((change) => {
    const count = changesOf(change).length;
    const { outcome, detail, userId, changes } = outcomeOf(results.slice(next, next + count));
    next += count;
    return resultOfPlanned(change, {
      outcome,
      detail: change.detail ?? detail,
      userId: userId ?? change.userId,
      changes,
    });
  });
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
