import {
  MAX_IDS_PER_READ,
  type ConnectorClient,
  type ConnectorView,
  type ProviderUserPage,
} from '@uif/connector-client';
import { MAX_EXTERNAL_ID, mappingReadPaths } from '@uif/mapping';
import { ImportOperation, type ImportJob } from '../import-job/import-job.entity.js';
import { emptyCounts, ImportOutcome, ImportPhase } from '../import-job/import-job.types.js';
import type { StoredResult } from '../results/import-result.entity.js';
import { decide, type ImportOptions } from './decide.js';
import type { PlannedChange } from './import-plan.entity.js';
import type { JobProgress } from './job-progress.js';
import type { Decided } from './listing-doubt.js';
import { providerListing } from './listing.js';
import { matchedGroups, type MatchedGroup, type MatchedUser } from './matched-pages.js';
import { retryPolicyOf, type PipelineDependencies } from './pipeline-dependencies.js';
import type { PlanStore } from './plan-store.js';
import { readAhead } from './read-ahead.js';
import { countOutcomes } from './result-rows.js';
import { retrying } from './retrying.js';

/** What the fetch learned: the listing, as decided, and how many picked users the provider no longer has. */
export interface Fetched {
  decided: Decided;
  missing: number;
}

/**
 * FETCHING: reads the provider's users, matches them against the directory and decides each one,
 * storing final outcomes as results and changes to make as the plan. Nothing is written to the
 * directory yet.
 */
export class FetchPhase {
  constructor(
    private readonly deps: Pick<
      PipelineDependencies,
      'connectors' | 'directory' | 'batchSize' | 'retryMs' | 'log'
    >,
    private readonly progress: Pick<JobProgress, 'save' | 'pageRead' | 'checkCancelled'>,
    private readonly plans: Pick<PlanStore, 'clear' | 'store'>,
  ) {}

  /** Reads every page, deciding each user; a resumed fetch starts over (nothing was applied yet). */
  async run(job: ImportJob, connector: ConnectorView): Promise<Fetched> {
    await this.plans.clear(job);
    Object.assign(job, { phase: ImportPhase.FETCHING, processed: 0, total: null, warnings: [] });
    job.counts = emptyCounts();
    await this.progress.save(job);
    const options = importOptions(job);
    const missing: string[] = [];
    const decided: Decided = { seq: 0, suspensions: 0, listed: new Set(), unidentified: 0 };
    // The next group is read and matched, and this one decided, while the one before is stored.
    let storing: Promise<void> = Promise.resolve();
    try {
      for await (const group of readAhead(this.groups(job, connector, missing, decided.listed), 1)) {
        const { finals, plans } = this.decideGroup(options, group.users, decided);
        await storing;
        storing = this.plans.store(job, plans, finals).then(() => countOutcomes(job, finals));
        // Awaited before the next group's, or in `finally`: not an unhandled rejection meanwhile.
        storing.catch(() => undefined);
      }
    } finally {
      await storing;
    }
    await this.reportMissing(job, missing, decided.seq);
    decided.seq += missing.length;
    return { decided, missing: missing.length };
  }

  /**
   * The provider's users, matched a group at a time, their external ids gathered in `listed`; every
   * page is counted and may stop a cancelled job.
   */
  private groups(
    job: ImportJob,
    connector: ConnectorView,
    missing: string[],
    listed: Set<string>,
  ): AsyncIterable<MatchedGroup> {
    const policy = retryPolicyOf(this.deps, job);
    // Picked users of a provider that reads by id (SCIM) are read one by one, not found by listing
    // everyone: a selection finishes in moments whatever the application's size.
    const byId = job.selectedExternalIds !== null && readsSelectionById(connector);
    const pages = byId
      ? selectedUsers(job, retrying(this.deps.connectors, policy), missing)
      : providerListing(this.deps.connectors, policy, {
          organizationId: job.organizationId,
          connectorId: job.connectorId,
          query: job.query,
          pageSize: connector.paging!.pageSize,
          readPaths: mappingReadPaths(connector.mapping!),
        });
    return matchedGroups(retrying(this.deps.directory, policy), {
      organizationId: job.organizationId,
      connector,
      groupSize: this.deps.batchSize,
      pages,
      seen: listed,
      onPage: async (page) => {
        await this.progress.checkCancelled(job);
        job.total = page.total ?? job.total;
        job.warnings = [...new Set([...job.warnings, ...page.warnings])];
        job.counts.fetched += page.count;
        await this.progress.pageRead(job);
      },
    });
  }

  /** A group's decisions, to store together; the group is added to what the listing had. */
  private decideGroup(
    options: ImportOptions,
    users: MatchedUser[],
    decided: Decided,
  ): { finals: StoredResult[]; plans: PlannedChange[] } {
    const decisions = decisionsOf(options, users, decided.seq);
    decided.seq += users.length;
    decided.suspensions += decisions.plans.filter((change) => change.action === 'suspend').length;
    // The listed external ids are gathered as pages are read (matchedGroups' `seen`).
    decided.unidentified += users.filter(({ mapped }) => !mapped.externalId).length;
    return decisions;
  }

  /** Picked users the provider no longer has: reported skipped, saying so. */
  private async reportMissing(job: ImportJob, missing: string[], firstSeq: number): Promise<void> {
    const rows = missing.map((externalId, index): StoredResult => ({
      seq: firstSeq + index,
      externalId,
      email: null,
      username: null,
      outcome: ImportOutcome.SKIPPED,
      detail: 'The application has no user with this id any more',
      userId: null,
      changes: null,
    }));
    await this.plans.store(job, [], rows);
    countOutcomes(job, rows);
  }
}

/** Each user of a group decided, numbered from `firstSeq`: a final result now, or a change to plan. */
function decisionsOf(
  options: ImportOptions,
  users: MatchedUser[],
  firstSeq: number,
): { finals: StoredResult[]; plans: PlannedChange[] } {
  const finals: StoredResult[] = [];
  const plans: PlannedChange[] = [];
  // Object literals, not spreads of a shared part: this runs for every user the provider lists.
  users.forEach(({ mapped: user, match, current }, index) => {
    const seq = firstSeq + index;
    const email = textOrNull(user.attributes.email);
    const username = textOrNull(user.attributes.username);
    const decision = decide(user, match, options, current);
    if (decision.kind === 'final') {
      finals.push({
        seq,
        externalId: user.externalId?.slice(0, MAX_EXTERNAL_ID) ?? null,
        email,
        username,
        outcome: ImportOutcome[decision.outcome],
        detail: decision.detail,
        userId: decision.userId,
        changes: null,
      });
    } else {
      plans.push({
        seq,
        externalId: user.externalId!,
        email,
        username,
        action: decision.action,
        userId: decision.userId,
        attributes: decision.attributes,
      });
    }
  });
  return { finals, plans };
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
