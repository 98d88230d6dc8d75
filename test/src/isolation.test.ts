import { createHmac, randomBytes } from 'node:crypto';
import {
  dataOf,
  EMPLOYEE_MAPPING,
  scimUsers,
  signedSubgraphClient,
  startScimmyProvider,
  type GraphQLAnswer,
  type HrProvider,
  type ScimProvider,
  type ScimUser,
  type TestServer,
} from '@uif/testing';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import {
  activeConnector,
  activeScimConnector,
  dashboard,
  directoryUsers,
  employee,
  runImport,
  startHr,
  waitForJob,
  type FinishedJob,
} from './import-helpers.js';

/**
 * Organization B, with an API key of its own, tries every root field of the composed schema on
 * organization A's objects. The contract: another organization's object answers NOT_FOUND, null or
 * nothing, never its data, and B's mutations leave A's objects as they were.
 */

const SCIM_TOKEN = 'scim-isolation-token-7c1e';

interface OrganizationA {
  org: TestOrganization;
  name: string;
  notificationEmail: string;
  connectors: {
    /** Active custom API, imported from, with a schedule set by hand. */
    main: string;
    /** Mapped but never activated. */
    pending: string;
    /** OAuth 2.0, authorization never completed. */
    oauth: string;
    scim: string;
    /** Active, on a slow provider: its import runs for the whole file. */
    slow: string;
  };
  labels: string[];
  jobs: { finished: string; running: string };
  resultsDownloadUrl: string;
  users: { id: string; email: string }[];
  eventIds: string[];
  scheduleQuery: string;
  providers: TestServer[];
}

interface Matrix {
  federation: Federation;
  a: OrganizationA;
  b: TestOrganization;
  bConnectorId: string;
  bJob: FinishedJob;
  /** A's custom-API provider: B must never make it answer anything. */
  aHr: HrProvider;
}

type RootField = `${'Query' | 'Mutation' | 'Subscription'}.${string}`;
type IsolationCase = (matrix: Matrix) => Promise<void>;
type Answer = GraphQLAnswer<Record<string, unknown>>;

// ─────────────────────────────── assertions ───────────────────────────────

/** Every piece of A's data B could recognize (A's ids are left out: B sends them itself). */
function tracesOfA(a: OrganizationA): string[] {
  return [
    a.name,
    a.notificationEmail,
    a.scheduleQuery,
    ...a.labels,
    ...a.users.map((user) => user.email),
    ...a.providers.map((provider) => provider.url),
  ].map((trace) => trace.toLowerCase());
}

function expectNoTraceOfA(a: OrganizationA, answer: unknown): void {
  const text = JSON.stringify(answer).toLowerCase();
  expect(tracesOfA(a).filter((trace) => text.includes(trace))).toEqual([]);
}

/** For fields that take no id: not even A's ids may show up. */
function expectNoIdOfA(a: OrganizationA, answer: unknown): void {
  const text = JSON.stringify(answer);
  const ids = [
    ...Object.values(a.connectors),
    ...Object.values(a.jobs),
    ...a.users.map((user) => user.id),
    ...a.eventIds,
  ];
  expect(ids.filter((id) => text.includes(id))).toEqual([]);
  expectNoTraceOfA(a, answer);
}

/** B is told NOT_FOUND, or gets null, false or an empty list: nothing of A's either way. */
function expectDenied(a: OrganizationA, answer: Answer, field: string): void {
  const value = answer.data?.[field] ?? null;
  if (answer.errors?.length) {
    expect(answer.errors.map((error) => error.extensions?.code)).toEqual(
      answer.errors.map(() => 'NOT_FOUND'),
    );
    expect(value).toBeNull();
  } else if (Array.isArray(value)) {
    expect(value).toEqual([]);
  } else {
    expect([null, false]).toContain(value);
  }
  expectNoTraceOfA(a, answer);
}

function expectNotFound(a: OrganizationA, answer: Answer, field: string): void {
  expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
  expectDenied(a, answer, field);
}

const SNAPSHOT_OF_A = `query ($finished: ID!, $running: ID!) {
  organization { id name notificationEmails userLicenseLimit userCount }
  connectors {
    id displayLabel description kind state baseUrl authSummary authorized updatedAt
    listUsers { path pageSize } mapping { externalIdPath statusPath entries { target sourcePath } }
    importSchedule { enabled sendEmail query minuteOfHour nextRunAt allowUserReactivation operations { userCreate userUpdate } }
    importBrake { enabled maxSuspensions maxSuspensionPercent }
  }
  users(first: 50) { totalCount nodes { id email username firstname lastname department state updatedAt } }
  finished: importJob(id: $finished) { status counts { created updated } }
  running: importJob(id: $running) { status }
}`;

/** Everything of A's a mutation of B's could change, as A sees it. */
async function snapshotOfA(a: OrganizationA) {
  return dataOf(await a.org.query(SNAPSHOT_OF_A, a.jobs));
}

/** Runs B's attempt and checks that A, asked afterwards, sees all of its data as before. */
async function expectAUnchangedBy(
  a: OrganizationA,
  attempt: () => Promise<void>,
  settleMs = 0,
): Promise<void> {
  const before = await snapshotOfA(a);
  expect(before.connectors).toHaveLength(Object.keys(a.connectors).length);
  await attempt();
  // A change B had managed to request may take effect a moment later (a running job stops at its next page).
  if (settleMs) await new Promise((resolve) => setTimeout(resolve, settleMs));
  expect(await snapshotOfA(a)).toEqual(before);
}

/** B's attempt must not make A's provider answer anything (its data, or a test of A's credentials). */
async function expectProviderUntouchedBy(provider: TestServer, attempt: () => Promise<void>): Promise<void> {
  const requests = provider.requests.length;
  await attempt();
  expect(provider.requests.slice(requests)).toEqual([]);
}

// ─────────────────────────────── subscriptions ───────────────────────────────

interface Feed<T> {
  events: T[];
  errors: unknown[];
  /** Settles when the subscription completes or fails. */
  ended: Promise<void>;
}

function listen<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Feed<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const ended = new Promise<void>((resolve) => {
    client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) errors.push(...result.errors);
          if (result.data) events.push(result.data as T);
        },
        error: (error) => {
          errors.push(...(Array.isArray(error) ? error : [error]));
          resolve();
        },
        complete: resolve,
      },
    );
  });
  return { events, errors, ended };
}

function codesOf(errors: unknown[]): unknown[] {
  return errors.map((error) => (error as { extensions?: { code?: unknown } }).extensions?.code);
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface ProgressEvent {
  importJobUpdates: { jobId: string; phase: string; processed: number };
}

// ─────────────────────────────── the matrix ───────────────────────────────

/** The users B imports from its own provider (lower case, sorted). */
const B_EMAILS = ['staff901@globex.example', 'staff902@globex.example'];

const START_IMPORT = 'mutation ($input: StartImportInput!) { startImport(input: $input) { id status } }';

const CASES: Record<RootField, IsolationCase> = {
  'Query.organization': async ({ a, b }) => {
    const answer = await b.query<{ organization: { id: string; userCount: number } }>(
      '{ organization { id name notificationEmails userLicenseLimit userCount } }',
    );
    const ownUsers = await directoryUsers(b);
    expect(dataOf(answer).organization).toMatchObject({ id: b.id, userCount: ownUsers.totalCount });
    expectNoIdOfA(a, answer);
  },

  'Query.users': async ({ a, b }) => {
    const all = await b.query<{ users: { nodes: { email: string }[] } }>(
      '{ users(first: 500) { totalCount nodes { id email username } } }',
    );
    expect(
      dataOf(all)
        .users.nodes.map((user) => user.email.toLowerCase())
        .sort(),
    ).toEqual(B_EMAILS);
    expectNoIdOfA(a, all);
    const USERS = 'query ($filter: UserFilter) { users(filter: $filter) { totalCount nodes { id email } } }';
    for (const filter of [{ importedFromConnectorId: a.connectors.main }, { search: a.users[0]!.email }]) {
      const answer = await b.query(USERS, { filter });
      expect(dataOf(answer)).toEqual({ users: { totalCount: 0, nodes: [] } });
    }
  },

  'Query.user': async ({ a, b }) => {
    for (const { id } of a.users) {
      const answer = await b.query('query ($id: ID!) { user(id: $id) { id email createdByImport { id } } }', {
        id,
      });
      expectDenied(a, answer, 'user');
    }
  },

  'Query.directoryEvents': async ({ a, b }) => {
    const EVENTS =
      'query ($userId: ID, $connectorId: ID) { directoryEvents(userId: $userId, connectorId: $connectorId, first: 500) { id type user { id email } } }';
    const all = await b.query<{ directoryEvents: { user: { email: string } }[] }>(EVENTS);
    const eventsOfB = dataOf(all).directoryEvents.map((event) => event.user.email.toLowerCase());
    expect(new Set(eventsOfB)).toEqual(new Set(B_EMAILS));
    expectNoIdOfA(a, all);
    for (const filter of [{ userId: a.users[0]!.id }, { connectorId: a.connectors.main }]) {
      expectDenied(a, await b.query(EVENTS, filter), 'directoryEvents');
    }
  },

  'Query.importHolds': async ({ federation, a, b, bConnectorId, bJob }) => {
    // A held import each, recorded as the import service records one.
    const hold = (organizationId: string, connectorId: string, importJobId: string) =>
      federation.batches.recordImportHold({
        organizationId,
        connectorId,
        importJobId,
        kind: 'HELD_BY_BRAKE',
        actor: 'isolation test',
        occurredAt: new Date(),
        plannedSuspensions: 3,
        activeUsers: 4,
      });
    await hold(a.org.id, a.connectors.main, a.jobs.finished);
    await hold(b.id, bConnectorId, bJob.id);
    const HOLDS =
      'query ($connectorId: ID) { importHolds(connectorId: $connectorId) { id importJob { id } connector { id } } }';
    const mine = await b.query<{ importHolds: { importJob: { id: string } }[] }>(HOLDS);
    expect(dataOf(mine).importHolds.map((held) => held.importJob.id)).toEqual([bJob.id]);
    expectNoIdOfA(a, mine);
    expectDenied(a, await b.query(HOLDS, { connectorId: a.connectors.main }), 'importHolds');
    const ofA = await a.org.query<{ importHolds: unknown[] }>(HOLDS);
    expect(dataOf(ofA).importHolds, "A's own record is there to be hidden").toHaveLength(1);
  },

  'Query.connectors': async ({ a, b, bConnectorId }) => {
    const answer = await b.query<{ connectors: { id: string }[] }>(
      '{ connectors { id displayLabel baseUrl } }',
    );
    expect(dataOf(answer).connectors.map((c) => c.id)).toContain(bConnectorId);
    expectNoIdOfA(a, answer);
  },

  'Query.connector': async ({ a, b }) => {
    for (const id of Object.values(a.connectors)) {
      const answer = await b.query(
        'query ($id: ID!) { connector(id: $id) { id displayLabel baseUrl importJobs { id } importSchedule { enabled } } }',
        { id },
      );
      expectDenied(a, answer, 'connector');
    }
  },

  'Query.userSchemaPreview': async ({ a, b, aHr }) => {
    await expectProviderUntouchedBy(aHr, async () => {
      const answer = await b.query(
        'query ($id: ID!) { userSchemaPreview(connectorId: $id) { sample fields { path example } } }',
        { id: a.connectors.main },
      );
      expectNotFound(a, answer, 'userSchemaPreview');
    });
  },

  'Query.mappedUserPreview': async ({ a, b, aHr }) => {
    await expectProviderUntouchedBy(aHr, async () => {
      const answer = await b.query(
        'query ($id: ID!) { mappedUserPreview(connectorId: $id) { externalId attributes errors } }',
        { id: a.connectors.main },
      );
      expectNotFound(a, answer, 'mappedUserPreview');
    });
  },

  'Query.importJob': async ({ a, b }) => {
    for (const id of Object.values(a.jobs)) {
      const answer = await b.query(
        'query ($id: ID!) { importJob(id: $id) { id status resultsDownloadUrl results { nodes { email user { id } } } } }',
        { id },
      );
      expectDenied(a, answer, 'importJob');
    }
  },

  'Query.importJobs': async ({ a, b, bJob }) => {
    const JOBS = 'query ($id: ID) { importJobs(connectorId: $id) { id status resultsDownloadUrl } }';
    const all = await b.query<{ importJobs: { id: string }[] }>(JOBS);
    expect(dataOf(all).importJobs.map((job) => job.id)).toContain(bJob.id);
    expectNoIdOfA(a, all);
    expectDenied(a, await b.query(JOBS, { id: a.connectors.main }), 'importJobs');
  },

  'Query.importCandidates': async ({ a, b, aHr }) => {
    await expectProviderUntouchedBy(aHr, async () => {
      const answer = await b.query(
        'query ($id: ID!) { importCandidates(connectorId: $id) { totalCount nodes { externalId email } } }',
        { id: a.connectors.main },
      );
      expectNotFound(a, answer, 'importCandidates');
    });
  },

  'Mutation.updateOrganizationSettings': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      const answer = await b.query<{ updateOrganizationSettings: { id: string; name: string } }>(
        'mutation { updateOrganizationSettings(input: { name: "Globex (org B)", notificationEmails: ["it@globex.example"] }) { id name notificationEmails } }',
      );
      expect(dataOf(answer).updateOrganizationSettings).toMatchObject({ id: b.id, name: 'Globex (org B)' });
      expectNoIdOfA(a, answer);
    });
  },

  'Mutation.createCustomApiConnector': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      const answer = await b.query<{ createCustomApiConnector: { id: string } }>(
        'mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id displayLabel } }',
        {
          input: {
            displayLabel: 'Globex HR (org B)',
            baseUrl: 'http://127.0.0.1:9',
            auth: { bearerToken: { token: 'globex-token' } },
            listUsers: {
              path: '/people',
              resourceLocation: '.',
              totalCountSource: 'NONE',
              limitParam: 'limit',
              offsetParam: 'offset',
            },
          },
        },
      );
      const { id } = dataOf(answer).createCustomApiConnector;
      expectNoIdOfA(a, answer);
      expect((await a.org.query('query ($id: ID!) { connector(id: $id) { id } }', { id })).data).toEqual({
        connector: null,
      });
    });
  },

  'Mutation.createScimConnector': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      const answer = await b.query<{ createScimConnector: { id: string } }>(
        'mutation ($input: ScimConnectorInput!) { createScimConnector(input: $input) { id displayLabel } }',
        {
          input: {
            displayLabel: 'Globex Wiki (org B)',
            baseUrl: 'http://127.0.0.1:9/scim/v2',
            auth: { bearerToken: { token: 'globex-scim' } },
          },
        },
      );
      const { id } = dataOf(answer).createScimConnector;
      expectNoIdOfA(a, answer);
      expect((await a.org.query('query ($id: ID!) { connector(id: $id) { id } }', { id })).data).toEqual({
        connector: null,
      });
    });
  },

  'Mutation.updateConnector': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      for (const id of Object.values(a.connectors)) {
        const answer = await b.query(
          'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { id displayLabel baseUrl } }',
          { id, input: { displayLabel: 'Taken over by B', baseUrl: 'http://127.0.0.1:9' } },
        );
        expectNotFound(a, answer, 'updateConnector');
      }
    });
  },

  'Mutation.beginOAuthAuthorization': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      const answer = await b.query(
        'mutation ($id: ID!) { beginOAuthAuthorization(connectorId: $id) { authorizationUrl state } }',
        { id: a.connectors.oauth },
      );
      expectNotFound(a, answer, 'beginOAuthAuthorization');
    });
  },

  'Mutation.testConnection': async ({ a, b, aHr }) => {
    await expectAUnchangedBy(a, () =>
      expectProviderUntouchedBy(aHr, async () => {
        const answer = await b.query(
          'mutation ($id: ID!) { testConnection(connectorId: $id) { ok httpStatus message providerResponse } }',
          { id: a.connectors.main },
        );
        expectNotFound(a, answer, 'testConnection');
      }),
    );
  },

  'Mutation.setAttributeMapping': async ({ a, b }) => {
    // Valid, so that only the connector's owner can be why it is refused.
    const swapped = {
      ...EMPLOYEE_MAPPING,
      entries: [
        { target: 'EMAIL', sourcePath: '$.login' },
        { target: 'USERNAME', sourcePath: '$.email' },
      ],
    };
    await expectAUnchangedBy(a, async () => {
      const answer = await b.query(
        'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { id mapping { externalIdPath } } }',
        { id: a.connectors.main, m: swapped },
      );
      expectNotFound(a, answer, 'setAttributeMapping');
    });
  },

  'Mutation.activateConnector': async ({ a, b, aHr }) => {
    // Activation runs a connection test: B must neither activate A's connector nor make it call out.
    await expectAUnchangedBy(a, () =>
      expectProviderUntouchedBy(aHr, async () => {
        const answer = await b.query(
          'mutation ($id: ID!) { activateConnector(connectorId: $id) { id state } }',
          {
            id: a.connectors.pending,
          },
        );
        expectNotFound(a, answer, 'activateConnector');
      }),
    );
  },

  'Mutation.deactivateConnector': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      for (const id of [a.connectors.main, a.connectors.scim]) {
        const answer = await b.query(
          'mutation ($id: ID!) { deactivateConnector(connectorId: $id) { id state } }',
          {
            id,
          },
        );
        expectNotFound(a, answer, 'deactivateConnector');
      }
    });
  },

  'Mutation.startImport': async ({ a, b, aHr }) => {
    const JOBS = 'query ($id: ID!) { importJobs(connectorId: $id, first: 100) { id } }';
    const jobsBefore = dataOf(await a.org.query(JOBS, { id: a.connectors.main }));
    await expectAUnchangedBy(a, () =>
      expectProviderUntouchedBy(aHr, async () => {
        const answer = await b.query(START_IMPORT, {
          input: { connectorId: a.connectors.main, operations: ['USER_CREATE', 'USER_UPDATE'] },
        });
        expectNotFound(a, answer, 'startImport');
      }),
    );
    expect(dataOf(await a.org.query(JOBS, { id: a.connectors.main }))).toEqual(jobsBefore);
  },

  'Mutation.cancelImport': async ({ a, b }) => {
    // Past the slow job's next cancellation check (twice a second), so a cancellation would show.
    const nextCancellationCheck = 1_000;
    await expectAUnchangedBy(
      a,
      async () => {
        // A finished job must not answer "already finished" (CONFLICT): that would tell B it exists.
        for (const jobId of [a.jobs.running, a.jobs.finished]) {
          const answer = await b.query(
            'mutation ($jobId: ID!) { cancelImport(jobId: $jobId) { id status } }',
            {
              jobId,
            },
          );
          expectNotFound(a, answer, 'cancelImport');
        }
      },
      nextCancellationCheck,
    );
  },

  'Mutation.approveImport': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      // A job that awaits nothing must not answer CONFLICT either: that would tell B it exists.
      for (const jobId of [a.jobs.running, a.jobs.finished]) {
        const answer = await b.query(
          'mutation ($jobId: ID!) { approveImport(jobId: $jobId) { id status } }',
          {
            jobId,
          },
        );
        expectNotFound(a, answer, 'approveImport');
      }
    });
  },

  'Mutation.setImportBrake': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      const answer = await b.query(
        'mutation ($id: ID!, $input: ImportBrakeInput!) { setImportBrake(connectorId: $id, input: $input) { enabled } }',
        { id: a.connectors.main, input: { enabled: false } },
      );
      expectNotFound(a, answer, 'setImportBrake');
    });
  },

  'Mutation.setImportSchedule': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      const answer = await b.query(
        'mutation ($input: ImportScheduleInput!) { setImportSchedule(input: $input) { enabled query lastJob { id } } }',
        {
          input: {
            connectorId: a.connectors.main,
            enabled: false,
            operations: { userCreate: false, userUpdate: true },
            sendEmail: false,
          },
        },
      );
      expectNotFound(a, answer, 'setImportSchedule');
    });
  },

  'Mutation.deleteImportSchedule': async ({ a, b }) => {
    await expectAUnchangedBy(a, async () => {
      const answer = await b.query('mutation ($id: ID!) { deleteImportSchedule(connectorId: $id) }', {
        id: a.connectors.main,
      });
      expectDenied(a, answer, 'deleteImportSchedule');
    });
  },

  'Subscription.importJobProgress': async ({ federation, a, b }) => {
    const client = dashboard(federation, b);
    try {
      for (const jobId of Object.values(a.jobs)) {
        const feed = listen(
          client,
          'subscription ($id: ID!) { importJobProgress(jobId: $id) { jobId status processed job { id } } }',
          { id: jobId },
        );
        await feed.ended;
        expect(feed.events).toEqual([]);
        expect(codesOf(feed.errors)).toEqual(['NOT_FOUND']);
        expectNoTraceOfA(a, feed.errors);
      }
    } finally {
      await client.dispose();
    }
  },

  'Subscription.importJobUpdates': async ({ federation, a, b, bConnectorId }) => {
    const UPDATES = 'subscription { importJobUpdates { jobId phase processed } }';
    const clients = [dashboard(federation, a.org), dashboard(federation, b)];
    const [aFeed, bFeed] = clients.map((client) => listen<ProgressEvent>(client, UPDATES)) as [
      Feed<ProgressEvent>,
      Feed<ProgressEvent>,
    ];
    const jobIdsOf = (feed: Feed<ProgressEvent>) => feed.events.map((event) => event.importJobUpdates.jobId);
    /** B runs an import of its own and waits for its last event: B's feed has everything published before. */
    async function bImportHeardOnItsFeed(): Promise<string> {
      const { startImport } = dataOf(
        await b.query<{ startImport: { id: string } }>(START_IMPORT, {
          input: { connectorId: bConnectorId, operations: ['USER_CREATE'] },
        }),
      );
      await until(
        () =>
          bFeed.events.some(
            (e) => e.importJobUpdates.jobId === startImport.id && e.importJobUpdates.phase === 'DONE',
          ),
        'B’s own import on B’s feed',
      );
      return startImport.id;
    }
    try {
      const bJobs = [await bImportHeardOnItsFeed()];
      // A's slow import publishes at every page: A hears it, while B's feed is known to be live.
      const eventsOfRunningJob = () => jobIdsOf(aFeed).filter((id) => id === a.jobs.running).length;
      const heardByA = eventsOfRunningJob();
      await until(() => eventsOfRunningJob() >= heardByA + 3, 'A’s running import on A’s feed');
      bJobs.push(await bImportHeardOnItsFeed());
      expect(new Set(jobIdsOf(bFeed))).toEqual(new Set(bJobs));
      expectNoTraceOfA(a, bFeed.events);
      expect(bFeed.errors).toEqual([]);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  },
};

// ─────────────────────────────── set-up ───────────────────────────────

let matrix: Matrix;

async function updateLabel(org: TestOrganization, id: string, displayLabel: string): Promise<void> {
  dataOf(
    await org.query(
      'mutation ($id: ID!, $input: ConnectorUpdateInput!) { updateConnector(id: $id, input: $input) { id } }',
      {
        id,
        input: { displayLabel },
      },
    ),
  );
}

async function createConnector(org: TestOrganization, input: Record<string, unknown>): Promise<string> {
  const { createCustomApiConnector } = dataOf(
    await org.query<{ createCustomApiConnector: { id: string } }>(
      'mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id } }',
      { input },
    ),
  );
  return createCustomApiConnector.id;
}

const listUsers = {
  path: '/employees',
  resourceLocation: '.',
  totalCountSource: 'HEADER',
  totalCountLocation: 'X-Total-Count',
  limitParam: 'limit',
  offsetParam: 'offset',
};

/** Organization A with something behind every root field: connectors of each kind, jobs, users, events. */
async function organizationA(
  federation: Federation,
  providers: { hr: HrProvider; slowHr: HrProvider; scim: ScimProvider<ScimUser> },
): Promise<OrganizationA> {
  const org = await federation.newOrganization();
  const name = 'Acme Corporation (org A)';
  const notificationEmail = 'it-alerts@acme-a.example';
  dataOf(
    await org.query(
      'mutation ($input: OrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { id } }',
      {
        input: { name, notificationEmails: [notificationEmail], userLicenseLimit: 1000 },
      },
    ),
  );
  const labels = {
    main: 'Acme Payroll (org A)',
    pending: 'Acme Contractors (org A)',
    oauth: 'Acme Workday (org A)',
    scim: 'Acme Wiki (org A)',
    slow: 'Acme Archive (org A)',
  };
  const [main, slow, pending, oauth, scim] = await Promise.all([
    activeConnector(org, providers.hr.url),
    activeConnector(org, providers.slowHr.url, 1),
    createConnector(org, {
      displayLabel: labels.pending,
      baseUrl: providers.hr.url,
      auth: { bearerToken: { token: 'acme-contractors' } },
      listUsers,
    }),
    createConnector(org, {
      displayLabel: labels.oauth,
      baseUrl: providers.hr.url,
      auth: {
        oauth2: {
          authorizationUrl: `${providers.hr.url}/authorize`,
          accessTokenUrl: `${providers.hr.url}/token`,
          clientId: 'acme-client',
          clientSecret: 'acme-client-secret',
        },
      },
      listUsers,
    }),
    activeScimConnector(org, providers.scim.url, SCIM_TOKEN, labels.scim),
  ]);
  await Promise.all([
    updateLabel(org, main, labels.main),
    updateLabel(org, slow, labels.slow),
    org
      .query(
        'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { id } }',
        { id: pending, m: EMPLOYEE_MAPPING },
      )
      .then(dataOf),
  ]);
  const finished = await runImport(org, { connectorId: main, operations: ['USER_CREATE', 'USER_UPDATE'] });
  const scheduleQuery = 'department=Ops&site=acme-a';
  dataOf(
    await org.query(
      'mutation ($input: ImportScheduleInput!) { setImportSchedule(input: $input) { enabled } }',
      {
        input: {
          connectorId: main,
          operations: { userCreate: true, userUpdate: false },
          query: scheduleQuery,
          sendEmail: true,
          allowUserReactivation: true,
        },
      },
    ),
  );
  const { startImport: running } = dataOf(
    await org.query<{ startImport: { id: string } }>(START_IMPORT, {
      input: { connectorId: slow, operations: ['USER_CREATE'] },
    }),
  );
  const users = (await directoryUsers(org)).nodes.map(({ id, email }) => ({ id, email }));
  const { directoryEvents } = dataOf(
    await org.query<{ directoryEvents: { id: string }[] }>('{ directoryEvents(first: 500) { id } }'),
  );
  return {
    org,
    name,
    notificationEmail,
    connectors: { main, pending, oauth, scim, slow },
    labels: Object.values(labels),
    jobs: { finished: finished.id, running: running.id },
    resultsDownloadUrl: finished.resultsDownloadUrl!,
    users,
    eventIds: directoryEvents.map((event) => event.id),
    scheduleQuery,
    providers: [providers.hr, providers.slowHr, providers.scim],
  };
}

async function importJobStatus(org: TestOrganization, id: string): Promise<string | undefined> {
  const answer = await org.query<{ importJob: { status: string } | null }>(
    'query ($id: ID!) { importJob(id: $id) { status } }',
    { id },
  );
  return answer.data?.importJob?.status;
}

describe('organization isolation, root field by root field', () => {
  let federation: Federation;
  const servers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    // No scheduled run may start during the file: A's jobs and schedule must only change when A acts.
    federation = await startFederation({
      importEnv: { IMPORT_SCHEDULER_SECONDS: '3600', IMPORT_CONCURRENCY: '4' },
    });
    const [hr, slowHr, bHr, scim] = await Promise.all([
      startHr([1, 2, 3, 4].map((n) => employee(n))),
      // One user a page, each page slow: A's import of it runs until afterAll cancels it.
      startHr(Array.from({ length: 3_000 }, (_, i) => employee(5_000 + i))),
      startHr(B_EMAILS.map((email, i) => employee(901 + i, { email }))),
      startScimmyProvider({ users: scimUsers(3, { prefix: 'acme-a' }), token: SCIM_TOKEN }),
    ]);
    servers.push(hr, slowHr, bHr, scim);
    slowHr.delayPages(100);
    const b = await federation.newOrganization();
    const [a, bConnectorId] = await Promise.all([
      organizationA(federation, { hr, slowHr, scim }),
      activeConnector(b, bHr.url),
    ]);
    const bJob = await runImport(b, { connectorId: bConnectorId, operations: ['USER_CREATE'] });
    matrix = { federation, a, b, bConnectorId, bJob, aHr: hr };
    const deadline = Date.now() + 10_000;
    while ((await importJobStatus(a.org, a.jobs.running)) !== 'RUNNING') {
      if (Date.now() > deadline) throw new Error('A’s slow import did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    if (matrix) {
      // Stopping the import service waits for running jobs: end A's slow one first.
      await matrix.a.org.query('mutation ($id: ID!) { cancelImport(jobId: $id) { id } }', {
        id: matrix.a.jobs.running,
      });
      await waitForJob(matrix.a.org, matrix.a.jobs.running);
    }
    await federation?.stop();
    await Promise.all(servers.map((server) => server.close()));
  });

  it('has a case for every root field', async () => {
    const { __schema } = dataOf(
      await matrix.b.query<{ __schema: Record<string, { name: string; fields: { name: string }[] } | null> }>(
        '{ __schema { queryType { name fields { name } } mutationType { name fields { name } } subscriptionType { name fields { name } } } }',
      ),
    );
    const rootFields = Object.values(__schema).flatMap((type) =>
      type ? type.fields.map((field) => `${type.name}.${field.name}`) : [],
    );
    const cases = Object.keys(CASES);
    expect({
      withoutCase: rootFields.filter((field) => !cases.includes(field)),
      staleCases: cases.filter((name) => !rootFields.includes(name)),
    }).toEqual({ withoutCase: [], staleCases: [] });
  });

  it.for(Object.entries(CASES))('%s gives B nothing of A’s', async ([, attempt]) => {
    await attempt(matrix);
  });

  it('resolves none of A’s entities for B in the subgraphs (_entities), though it does for A', async () => {
    const { a, b } = matrix;
    const as = (organizationId: string, url: string) =>
      signedSubgraphClient(
        url,
        { kind: 'member', organizationId, actor: 'e2e key', apiKeyId: 'k' },
        federation.secret,
      );
    const lookups = [
      {
        url: federation.directory.url,
        selection: '... on User { id email }',
        representations: a.users.map(({ id }) => ({ __typename: 'User', id })),
      },
      {
        url: federation.connector.url,
        selection: '... on Connector { id displayLabel baseUrl }',
        representations: Object.values(a.connectors).map((id) => ({ __typename: 'Connector', id })),
      },
      {
        url: federation.imports.url,
        selection: '... on ImportJob { id status resultsDownloadUrl results { nodes { email } } }',
        representations: Object.values(a.jobs).map((id) => ({ __typename: 'ImportJob', id })),
      },
    ];
    const ENTITIES = (selection: string) =>
      `query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`;
    for (const { url, selection, representations } of lookups) {
      const forA = dataOf(
        await as(a.org.id, url)<{ _entities: unknown[] }>(ENTITIES(selection), { r: representations }),
      );
      expect(forA._entities).not.toContain(null);
      const forB = await as(b.id, url)<{ _entities: unknown[] }>(ENTITIES(selection), { r: representations });
      expect(dataOf(forB)._entities).toEqual(representations.map(() => null));
      expectNoTraceOfA(a, forB);
    }
    // The import subgraph only adds fields to Connector and answers a stub with the id B sent; what it
    // adds must be empty for B.
    const contributed = dataOf(
      await as(b.id, federation.imports.url)<{ _entities: unknown[] }>(
        ENTITIES('... on Connector { importJobs { id } importSchedule { enabled query } }'),
        { r: [{ __typename: 'Connector', id: a.connectors.main }] },
      ),
    );
    expect([[null], [{ importJobs: [], importSchedule: null }]]).toContainEqual(contributed._entities);
  });

  describe('results download links', () => {
    const tokenOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;
    const encode = (claims: object) => Buffer.from(JSON.stringify(claims)).toString('base64url');
    const download = (token: string) => fetch(`${federation.gateway.url}/import-results/${token}`);

    it('serves A’s link, to anyone holding it, with A’s results', async () => {
      const answer = await fetch(matrix.a.resultsDownloadUrl);
      expect(answer.status).toBe(200);
      const csv = (await answer.text()).toLowerCase();
      const missing = matrix.a.users.filter(({ email }) => !csv.includes(email.toLowerCase()));
      expect(missing).toEqual([]);
    });

    it('answers 404 without data to a token tampered to name A’s job, or forged', async () => {
      const { a, bJob } = matrix;
      const [bPayload, bSignature] = tokenOf(bJob.resultsDownloadUrl!).split('.') as [string, string];
      const bClaims = JSON.parse(Buffer.from(bPayload, 'base64url').toString('utf8')) as object;
      const aClaims = { ...bClaims, jobId: a.jobs.finished, organizationId: a.org.id };
      const forgedSignature = createHmac('sha256', randomBytes(32))
        .update(encode(aClaims))
        .digest('base64url');
      const [aPayload] = tokenOf(a.resultsDownloadUrl).split('.') as [string];
      const attempts = {
        'B’s token with its claims changed to A’s job': `${encode(aClaims)}.${bSignature}`,
        'A’s claims signed with another secret': `${encode(aClaims)}.${forgedSignature}`,
        'A’s payload with B’s signature': `${aPayload}.${bSignature}`,
        'A’s payload without a signature': aPayload,
      };
      for (const [attempt, token] of Object.entries(attempts)) {
        const answer = await download(token);
        const body = await answer.text();
        expect({ attempt, status: answer.status }).toEqual({ attempt, status: 404 });
        expect(answer.headers.get('content-type')).not.toMatch(/csv/);
        expectNoTraceOfA(a, body);
      }
      // B's own, untampered link still works and carries B's results only.
      const own = await download(tokenOf(bJob.resultsDownloadUrl!));
      expect(own.status).toBe(200);
      const csv = await own.text();
      expect(csv.toLowerCase()).toContain('staff901@globex.example');
      expectNoTraceOfA(a, csv);
    });
  });
});
