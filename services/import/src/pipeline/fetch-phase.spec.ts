import { mapProviderUser } from '@uif/mapping';
import { capturedLogger, employee, type Employee } from '@uif/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  ImportJob,
  ImportJobStatus,
  ImportOperation,
  ImportTrigger,
} from '../import-job/import-job.entity.js';
import { emptyCounts, ImportOutcome, ImportPhase } from '../import-job/import-job.types.js';
import type { StoredResult } from '../results/import-result.entity.js';
import {
  FAKE_CONNECTOR_ID,
  FAKE_ORGANIZATION_ID,
  fakeConnector,
  fakeConnectorView,
  fakeDirectory,
  type FakeDirectory,
} from '../testing/fake-services.js';
import { FetchPhase } from './fetch-phase.js';
import type { PlannedChange } from './import-plan.entity.js';
import { Cancelled, type JobProgress } from './job-progress.js';
import { REPEATED_USERS_WARNING } from './matched-pages.js';
import type { PlanStore } from './plan-store.js';

const { log } = capturedLogger('fetch-phase-test');

/** A job that creates and updates users, queued. */
function queuedJob(): ImportJob {
  return Object.assign(new ImportJob(), {
    id: 'job-1',
    organizationId: FAKE_ORGANIZATION_ID,
    connectorId: FAKE_CONNECTOR_ID,
    trigger: ImportTrigger.MANUAL,
    operations: [ImportOperation.USER_CREATE, ImportOperation.USER_UPDATE],
    allowUserReactivation: false,
    query: null,
    selectedExternalIds: null,
    dryRun: false,
    startedBy: 'test',
    status: ImportJobStatus.RUNNING,
    phase: ImportPhase.QUEUED,
    total: null,
    processed: 0,
    counts: emptyCounts(),
    warnings: [],
  });
}

/** The plan store in memory: the changes planned and the results stored, in the order stored. */
function memoryPlans() {
  const changes: PlannedChange[] = [];
  const results: StoredResult[] = [];
  const plans: Pick<PlanStore, 'clear' | 'store'> = {
    clear: async () => {
      changes.length = 0;
      results.length = 0;
    },
    store: async (_job, planned, finals = []) => {
      changes.push(...planned);
      results.push(...finals);
    },
  };
  return { plans, changes, results };
}

/**
 * The job's progress in memory: the users fetched as each page was told, and an admin's cancel
 * request that the check before page `cancelAtPage` finds.
 */
function memoryProgress(cancelAtPage: number | null) {
  const fetchedPerPage: number[] = [];
  let checks = 0;
  const progress: Pick<JobProgress, 'save' | 'pageRead' | 'checkCancelled'> = {
    save: async () => undefined,
    pageRead: async (job) => void fetchedPerPage.push(job.counts.fetched),
    checkCancelled: async () => {
      checks += 1;
      if (cancelAtPage !== null && checks >= cancelAtPage) throw new Cancelled();
    },
  };
  return { progress, fetchedPerPage };
}

/** The attributes the fake connector's mapping gives `person`: what the directory holds once imported. */
const mapped = (person: Employee) => mapProviderUser(person, fakeConnectorView().mapping!).attributes;

const idOf = (person: Employee) => String(person.id);

/** Starts fetching `people` into a new job, against `directory` (an empty one unless given). */
function startFetch(
  people: Employee[],
  {
    directory = fakeDirectory(),
    pageSize = 5,
    batchSize = 10,
    cancelAtPage = null,
  }: { directory?: FakeDirectory; pageSize?: number; batchSize?: number; cancelAtPage?: number | null } = {},
) {
  const connector = fakeConnector(people, { pageSize });
  const { plans, changes, results } = memoryPlans();
  const { progress, fetchedPerPage } = memoryProgress(cancelAtPage);
  const phase = new FetchPhase(
    {
      connectors: connector,
      directory: directory.directory,
      batchSize,
      retryMs: 0,
      log,
    },
    progress,
    plans,
  );
  const job = queuedJob();
  const run = phase.run(job, connector.view);
  return { run, job, changes, results, fetchedPerPage, pagesListed: connector.pagesListed };
}

describe('the fetch phase', () => {
  it('counts every user listed, plans the new and changed ones, and records the unchanged and unmappable', async () => {
    const [fresh1, fresh2, same1, same2, changed, broken] = [
      employee(1),
      employee(2),
      employee(3),
      employee(4),
      employee(5),
      employee(6, { email: 'not an email' }),
    ] as const;
    const directory = fakeDirectory();
    for (const person of [same1, same2])
      directory.add({ externalId: idOf(person), attributes: mapped(person) });
    const before = directory.add({
      externalId: idOf(changed),
      attributes: { ...mapped(changed), lastname: 'Maiden' },
    });

    const { run, job, changes, results } = startFetch([fresh1, same1, broken, changed, fresh2, same2], {
      directory,
    });
    const fetched = await run;

    expect(job.counts).toMatchObject({ fetched: 6, unchanged: 2, failed: 1, created: 0, updated: 0 });
    expect(job.processed).toBe(3);
    expect(job.warnings).toEqual([]);
    expect(changes.map((change) => [change.externalId, change.action, change.userId])).toEqual([
      [idOf(fresh1), 'create', null],
      [idOf(changed), 'update', before.userId],
      [idOf(fresh2), 'create', null],
    ]);
    expect(results.map((row) => [row.externalId, row.outcome])).toEqual([
      [idOf(same1), ImportOutcome.UNCHANGED],
      [idOf(broken), ImportOutcome.FAILED],
      [idOf(same2), ImportOutcome.UNCHANGED],
    ]);
    expect(results[1]!.detail).toContain('email');
    expect(fetched.missing).toBe(0);
    expect([...fetched.decided.listed]).toEqual([fresh1, same1, broken, changed, fresh2, same2].map(idOf));
  });

  it('reads an external id the provider lists twice once, the first time, and says so in the job’s warnings', async () => {
    const { run, job, changes } = startFetch([
      employee(1),
      employee(2),
      employee(1, { first: 'Again' }),
      employee(3),
    ]);
    await run;

    expect(job.counts.fetched).toBe(3);
    expect(job.warnings).toEqual([REPEATED_USERS_WARNING]);
    expect(changes.map((change) => [change.externalId, change.attributes?.firstname])).toEqual([
      [idOf(employee(1)), 'First1'],
      [idOf(employee(2)), 'First2'],
      [idOf(employee(3)), 'First3'],
    ]);
  });

  it('stores planned changes in listing order, numbered by their place in it across pages and groups', async () => {
    const people = Array.from({ length: 23 }, (_, i) => employee(i + 1));
    const directory = fakeDirectory();
    // Two users the directory holds as listed: results, not changes, at their places 3 and 11.
    for (const person of [people[3]!, people[11]!])
      directory.add({ externalId: idOf(person), attributes: mapped(person) });

    const { run, job, changes, results, fetchedPerPage } = startFetch(people, {
      directory,
      pageSize: 5,
      batchSize: 7,
    });
    const fetched = await run;

    const planned = people.map((person, seq) => ({ seq, externalId: idOf(person) }));
    expect(changes.map(({ seq, externalId }) => ({ seq, externalId }))).toEqual(
      planned.filter(({ seq }) => seq !== 3 && seq !== 11),
    );
    expect(results.map(({ seq, externalId }) => ({ seq, externalId }))).toEqual([planned[3], planned[11]]);
    expect(fetched.decided.seq).toBe(23);
    // Progress is told once a page, with every user read so far.
    expect(fetchedPerPage).toEqual([5, 10, 15, 20, 23]);
    expect(job.total).toBe(23);
  });

  it('asks the directory to match the next group while it matches one, and still plans in listing order', async () => {
    const people = Array.from({ length: 20 }, (_, i) => employee(i + 1));
    const directory = fakeDirectory();
    const { matchUsers } = directory.directory;
    // The first group's match is answered only after the second group's, if that one is asked for.
    let secondAsked: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (secondAsked = resolve));
    let calls = 0;
    let overlapped = false;
    directory.directory.matchUsers = async (request) => {
      calls += 1;
      if (calls === 2) secondAsked();
      if (calls === 1)
        overlapped = await Promise.race([second.then(() => true), sleep(2_000).then(() => false)]);
      return matchUsers(request);
    };

    const { run, changes } = startFetch(people, { directory, pageSize: 5, batchSize: 10 });
    await run;

    expect(overlapped).toBe(true);
    expect(changes.map(({ seq, externalId }) => [seq, externalId])).toEqual(
      people.map((person, seq) => [seq, idOf(person)]),
    );
  });

  it('stops reading when the job is cancelled, planning nothing of the pages after', async () => {
    const people = Array.from({ length: 100 }, (_, i) => employee(i + 1));
    // The cancel request is found before the third page is counted.
    const { run, job, changes, pagesListed } = startFetch(people, {
      pageSize: 5,
      batchSize: 10,
      cancelAtPage: 3,
    });

    await expect(run).rejects.toBeInstanceOf(Cancelled);
    expect(job.counts.fetched).toBe(10);
    expect(changes.map((change) => change.externalId)).toEqual(people.slice(0, 10).map(idOf));
    // A few pages are listed ahead of the reading, not the 20 of the whole listing.
    expect(pagesListed()).toBeLessThan(10);
  });
});
