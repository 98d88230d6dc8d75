import { importConfigSchema, startImport } from '@uif/import';
import { parseConfig } from '@uif/runtime';
import {
  dataOf,
  scimUsers,
  startScimmyProvider,
  startSmtpMailbox,
  type SmtpMailbox,
  type TestServer,
} from '@uif/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnImportService } from '../faults/drill.js';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import {
  activeConnector,
  activeScimConnector,
  directoryUsers,
  employee,
  runImport,
  startHr,
  startImportNow,
  waitForJob,
  type Employee,
} from './import-helpers.js';

interface Change {
  attribute: string;
  from: unknown;
  to: unknown;
}

interface ResultPage {
  importJob: { results: { nodes: Result[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
}

interface Result {
  externalId: string;
  outcome: string;
  detail: string | null;
  changes: Change[];
}

/** Every result of a job, with its changes, paging through them. */
async function allResults(org: TestOrganization, id: string): Promise<Result[]> {
  const results: Result[] = [];
  let after: string | null = null;
  for (;;) {
    const { importJob }: ResultPage = dataOf(
      await org.query<ResultPage>(
        `query ($id: ID!, $after: String) { importJob(id: $id) { results(first: 500, after: $after) {
          nodes { externalId outcome detail changes { attribute from to } } pageInfo { hasNextPage endCursor } } } }`,
        { id, after },
      ),
    );
    results.push(...importJob.results.nodes);
    if (!importJob.results.pageInfo.hasNextPage) return results;
    after = importJob.results.pageInfo.endCursor;
  }
}

describe('safe imports', () => {
  let federation: Federation;
  let mailbox: SmtpMailbox;
  let restarted: Awaited<ReturnType<typeof startImport>> | null = null;
  const providers: TestServer[] = [];
  beforeAll(async () => {
    mailbox = await startSmtpMailbox();
    federation = await startFederation({
      importEnv: { IMPORT_BATCH_SIZE: '200', IMPORT_SCHEDULER_SECONDS: '0.2', SMTP_URL: mailbox.url },
    });
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await restarted?.stop();
    await federation?.stop();
    await mailbox?.close();
  });

  async function setup(employees: Employee[]) {
    const org = await federation.newOrganization();
    dataOf(
      await org.query(
        `mutation { updateOrganizationSettings(input: { notificationEmails: ["it@${org.id}.example"] }) { id } }`,
      ),
    );
    const hr = await startHr(employees);
    providers.push(hr);
    const connectorId = await activeConnector(org, hr.url, 100);
    return { org, hr, connectorId };
  }

  const mailTo = (org: TestOrganization) =>
    mailbox.received.filter((message) => message.envelopeTo.includes(`it@${org.id}.example`));

  /** The organization's emails once there are `count` of them (they go out as a job ends). */
  async function mailsOnceThere(org: TestOrganization, count: number) {
    for (let waited = 0; mailTo(org).length < count; waited += 50) {
      expect(waited).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return mailTo(org);
  }

  /** Everything an import may write for the organization: users, links, events, and every email sent. */
  async function snapshot(org: TestOrganization) {
    const rows = (table: string) =>
      federation.directory.dataSource.query(`SELECT * FROM ${table} WHERE organizationId = ? ORDER BY id`, [
        org.id,
      ]) as Promise<unknown[]>;
    const links = (await federation.directory.dataSource.query(
      'SELECT * FROM user_links WHERE organizationId = ? ORDER BY connectorId, externalId',
      [org.id],
    )) as unknown[];
    const { organization } = dataOf(
      await org.query<{ organization: { userCount: number } }>('{ organization { userCount } }'),
    );
    return {
      users: await rows('users'),
      links,
      events: await rows('directory_events'),
      userCount: organization.userCount,
      emails: mailTo(org).length,
    };
  }

  it('a dry run of 1,000 users says what would happen, changes nothing, and the real run does it', async () => {
    const staff = Array.from({ length: 700 }, (_, i) => employee(i + 1));
    const { org, hr, connectorId } = await setup(staff);
    const first = await runImport(org, { connectorId, operations: ['USER_CREATE'] });
    expect(first.counts.created).toBe(700);
    await mailsOnceThere(org, 1);
    // At the provider: 200 move department, 40 leave, 300 join.
    for (let n = 1; n <= 200; n += 1) (hr.users[n - 1] as Employee).department = 'Sales';
    for (let n = 201; n <= 240; n += 1) (hr.users[n - 1] as Employee).status = 'Inactive';
    // The last joiner has the first joiner's email: in another batch, which the real run writes first.
    hr.users.push(...Array.from({ length: 299 }, (_, i) => employee(701 + i)));
    hr.users.push(employee(1000, { email: employee(701).email }));

    const before = await snapshot(org);
    const input = { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] };
    const dryRun = await runImport(org, { ...input, dryRun: true });
    const expected = {
      fetched: 1000,
      created: 299,
      updated: 200,
      suspended: 40,
      reactivated: 0,
      unchanged: 460,
      skipped: 0,
      failed: 1,
    };
    expect(dryRun).toMatchObject({ status: 'PARTIAL', error: null, counts: expected });
    const { importJob } = dataOf(
      await org.query<{ importJob: { dryRun: boolean } }>(
        'query ($id: ID!) { importJob(id: $id) { dryRun } }',
        {
          id: dryRun.id,
        },
      ),
    );
    expect(importJob.dryRun).toBe(true);
    const planned = await allResults(org, dryRun.id);
    expect(planned).toHaveLength(1000);
    expect(planned[0]).toEqual({
      externalId: '1001',
      outcome: 'UPDATED',
      detail: 'Changed: department',
      changes: [{ attribute: 'department', from: 'Ops', to: 'Sales' }],
    });
    expect(planned[200]).toMatchObject({
      externalId: '1201',
      outcome: 'SUSPENDED',
      changes: [{ attribute: 'state', from: 'ACTIVE', to: 'SUSPENDED' }],
    });
    expect(planned[700]).toMatchObject({ externalId: '1701', outcome: 'CREATED', changes: [] });
    expect(planned[500]).toMatchObject({ externalId: '1501', outcome: 'UNCHANGED', changes: [] });
    expect(planned[999]).toMatchObject({ externalId: '2000', outcome: 'FAILED' });
    expect(planned[999]!.detail).toMatch(/email/i);

    // Nothing written: the directory, its events, its license count and the emails are as they were.
    expect(await snapshot(org)).toEqual(before);
    const download = await fetch(dryRun.resultsDownloadUrl!);
    expect(download.headers.get('content-disposition')).toContain('dry-run-results.csv');
    await download.arrayBuffer();

    const real = await runImport(org, input);
    expect(real).toMatchObject({ status: 'PARTIAL', counts: expected });
    const applied = await allResults(org, real.id);
    expect(applied.map((r) => [r.outcome, r.changes])).toEqual(planned.map((r) => [r.outcome, r.changes]));
  });

  const JOB = `id status approvedBy counts { suspended skipped }
    brakeTrip { plannedSuspensions activeUsers maxSuspensions maxSuspensionPercent at }`;

  interface BrakedJob {
    id: string;
    status: string;
    approvedBy: string | null;
    counts: { suspended: number; skipped: number };
    brakeTrip: { plannedSuspensions: number; activeUsers: number; at: string } | null;
  }

  async function jobOf(org: TestOrganization, id: string): Promise<BrakedJob> {
    const { importJob } = dataOf(
      await org.query<{ importJob: BrakedJob }>(`query ($id: ID!) { importJob(id: $id) { ${JOB} } }`, { id }),
    );
    return importJob;
  }

  interface Hold {
    kind: string;
    actor: string;
    occurredAt: string;
    plannedSuspensions: number;
    activeUsers: number;
    importJob: { id: string };
    connector: { displayLabel: string };
  }

  /** The directory's record of the connector's held imports, newest first. */
  async function holdsOf(org: TestOrganization, connectorId: string): Promise<Hold[]> {
    const { importHolds } = dataOf(
      await org.query<{ importHolds: Hold[] }>(
        `query ($id: ID!) { importHolds(connectorId: $id) {
          kind actor occurredAt plannedSuspensions activeUsers importJob { id } connector { displayLabel } } }`,
        { id: connectorId },
      ),
    );
    return importHolds;
  }

  const approve = (org: TestOrganization, id: string) =>
    org.query<{ approveImport: BrakedJob }>(`mutation ($id: ID!) { approveImport(jobId: $id) { ${JOB} } }`, {
      id,
    });

  /** The employees' numbers whose directory user is suspended. */
  async function suspendedNumbers(org: TestOrganization): Promise<number[]> {
    const users = await directoryUsers(org);
    return users.nodes
      .filter((user) => user.state === 'SUSPENDED')
      .map((user) => Number(/\d+/.exec(user.username)![0]))
      .sort((a, b) => a - b);
  }

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  /** 200 imported employees, of whom `leaving` turn inactive at the provider. */
  async function staffWithLeavers(leaving: number[]) {
    const context = await setup(range(1, 200).map((n) => employee(n)));
    const first = await runImport(context.org, {
      connectorId: context.connectorId,
      operations: ['USER_CREATE'],
    });
    expect(first.counts.created).toBe(200);
    for (const n of leaving) (context.hr.users[n - 1] as Employee).status = 'Inactive';
    return context;
  }

  const UPDATE = ['USER_CREATE', 'USER_UPDATE'];

  it('stops a mass suspension for approval, skips the schedule meanwhile, and applies the plan once approved', async () => {
    const { org, hr, connectorId } = await staffWithLeavers(range(1, 60));
    const started = await runImport(org, { connectorId, operations: UPDATE });
    const waiting = await jobOf(org, started.id);
    expect(waiting).toMatchObject({
      status: 'AWAITING_APPROVAL',
      approvedBy: null,
      counts: { suspended: 0 },
      brakeTrip: { plannedSuspensions: 60, activeUsers: 200, maxSuspensions: 50, maxSuspensionPercent: 20 },
    });
    expect(await suspendedNumbers(org)).toEqual([]);
    // The directory records who started the held import, and when it was held.
    const held = {
      kind: 'HELD_BY_BRAKE',
      actor: 'e2e key',
      occurredAt: waiting.brakeTrip!.at,
      plannedSuspensions: 60,
      activeUsers: 200,
      importJob: { id: started.id },
      connector: { displayLabel: 'Acme HR' },
    };
    expect(await holdsOf(org, connectorId)).toEqual([held]);
    // The summary of the first import, and the notice.
    const notice = (await mailsOnceThere(org, 2)).find((m) => m.mail.subject?.includes('awaits approval'));
    expect(notice!.mail.subject).toBe('User import from "Acme HR" awaits approval: 60 suspensions planned');
    expect(notice!.mail.text).toContain(`approveImport(jobId: "${started.id}")`);

    // The connector's schedule is paused: its tick is skipped and counted, no job starts.
    const SCHEDULE = 'importSchedule { skippedRuns pausedBy { id } }';
    const scheduleOf = async () =>
      dataOf(
        await org.query<{
          connector: { importSchedule: { skippedRuns: number; pausedBy: { id: string } | null } };
        }>(`query ($id: ID!) { connector(id: $id) { ${SCHEDULE} } }`, { id: connectorId }),
      ).connector.importSchedule;
    expect((await scheduleOf()).pausedBy).toEqual({ id: started.id });
    await federation.imports.dataSource.query(
      'UPDATE import_schedules SET nextRunAt = ? WHERE connectorId = ?',
      [new Date(Date.now() - 1000), connectorId],
    );
    for (let waited = 0; (await scheduleOf()).skippedRuns === 0; waited += 50) {
      expect(waited).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { importJobs } = dataOf(
      await org.query<{ importJobs: { id: string }[] }>(
        'query ($id: ID!) { importJobs(connectorId: $id) { id } }',
        {
          id: connectorId,
        },
      ),
    );
    expect(importJobs).toHaveLength(2);

    // Another organization neither sees nor approves it.
    const other = await federation.newOrganization();
    expect(
      dataOf(await other.query('query ($id: ID!) { importJob(id: $id) { id } }', { id: started.id })),
    ).toEqual({
      importJob: null,
    });
    expect((await approve(other, started.id)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await holdsOf(other, connectorId)).toEqual([]);

    // What the provider says now does not matter: the plan is applied as decided.
    (hr.users[60] as Employee).status = 'Inactive';
    const approved = dataOf(await approve(org, started.id)).approveImport;
    // Queued for a worker, which may have taken it already.
    expect(approved).toMatchObject({
      status: expect.stringMatching(/^(QUEUED|RUNNING)$/),
      approvedBy: 'e2e key',
    });
    expect(await holdsOf(org, connectorId)).toEqual([
      { ...held, kind: 'APPROVED', occurredAt: expect.any(String) },
      held,
    ]);
    const done = await waitForJob(org, started.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', counts: { suspended: 60 } });
    expect(await suspendedNumbers(org)).toEqual(range(1, 60));
    expect((await jobOf(org, started.id)).brakeTrip?.plannedSuspensions).toBe(60);
    expect((await scheduleOf()).pausedBy).toBeNull();

    const again = await approve(org, started.id);
    expect(again.errors?.[0]).toMatchObject({
      message: `Import job ${started.id} is not awaiting approval (it is succeeded, approved by e2e key)`,
      extensions: { code: 'CONFLICT' },
    });
  });

  it('drops a cancelled plan, changing nothing, and refuses to approve a plan older than 24 hours', async () => {
    const { org, connectorId } = await staffWithLeavers(range(1, 60));
    const started = await runImport(org, { connectorId, operations: UPDATE });
    expect(started.status).toBe('AWAITING_APPROVAL');
    const trippedAt = new Date(Date.now() - 25 * 3_600_000);
    const [stored] = (await federation.imports.dataSource.query(
      'SELECT brakeTrip FROM import_jobs WHERE id = ?',
      [started.id],
    )) as { brakeTrip: string }[];
    await federation.imports.dataSource.query('UPDATE import_jobs SET brakeTrip = ? WHERE id = ?', [
      JSON.stringify({ ...(JSON.parse(stored!.brakeTrip) as object), at: trippedAt }),
      started.id,
    ]);
    expect((await approve(org, started.id)).errors?.[0]).toMatchObject({
      message: `The plan of import job ${started.id} was decided 25 hours ago, and a plan can be approved for 24 hours only: cancel it and run the import again`,
      extensions: { code: 'CONFLICT' },
    });

    const { cancelImport } = dataOf(
      await org.query<{ cancelImport: BrakedJob }>(
        `mutation ($id: ID!) { cancelImport(jobId: $id) { ${JOB} } }`,
        {
          id: started.id,
        },
      ),
    );
    // The planned suspensions are reported skipped, saying so.
    expect(cancelImport).toMatchObject({
      status: 'CANCELLED',
      approvedBy: null,
      counts: { suspended: 0, skipped: 60 },
    });
    expect(await suspendedNumbers(org)).toEqual([]);
    expect((await holdsOf(org, connectorId)).map(({ kind, actor }) => ({ kind, actor }))).toEqual([
      { kind: 'CANCELLED', actor: 'e2e key' },
      { kind: 'HELD_BY_BRAKE', actor: 'e2e key' },
    ]);
    expect((await approve(org, started.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('lets suspensions below the limits through, reports a trip in a dry run, and obeys a disabled brake', async () => {
    const { org, hr, connectorId } = await staffWithLeavers(range(1, 10));
    const few = await runImport(org, { connectorId, operations: UPDATE });
    expect(few).toMatchObject({ status: 'SUCCEEDED', counts: { suspended: 10 } });
    expect((await jobOf(org, few.id)).brakeTrip).toBeNull();

    for (const n of range(11, 110)) (hr.users[n - 1] as Employee).status = 'Inactive';
    const dryRun = await runImport(org, { connectorId, operations: UPDATE, dryRun: true });
    expect(await jobOf(org, dryRun.id)).toMatchObject({
      status: 'SUCCEEDED',
      counts: { suspended: 100 },
      brakeTrip: { plannedSuspensions: 100, activeUsers: 190 },
    });
    expect(await suspendedNumbers(org)).toEqual(range(1, 10));
    expect(await holdsOf(org, connectorId), 'a dry run holds nothing').toEqual([]);

    const SET = `mutation ($id: ID!, $input: ImportBrakeInput!) {
      setImportBrake(connectorId: $id, input: $input) { enabled maxSuspensions maxSuspensionPercent } }`;
    const bad = await org.query(SET, {
      id: connectorId,
      input: { enabled: true, maxSuspensionPercent: 120 },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.maxSuspensionPercent'],
    });
    expect(dataOf(await org.query(SET, { id: connectorId, input: { enabled: false } }))).toEqual({
      setImportBrake: { enabled: false, maxSuspensions: null, maxSuspensionPercent: null },
    });
    const { connector } = dataOf(
      await org.query<{ connector: { importBrake: { enabled: boolean } } }>(
        'query ($id: ID!) { connector(id: $id) { importBrake { enabled } } }',
        { id: connectorId },
      ),
    );
    expect(connector.importBrake.enabled).toBe(false);
    const many = await runImport(org, { connectorId, operations: UPDATE });
    expect(many).toMatchObject({ status: 'SUCCEEDED', counts: { suspended: 100 } });
    expect(await suspendedNumbers(org)).toEqual(range(1, 110));
  });

  it('suspends the users gone from a complete listing, and nobody after a failed or filtered one', async () => {
    const { org, hr, connectorId } = await staffWithLeavers([]);
    // Ten leave the application altogether.
    hr.users.splice(10, 10);
    const input = { connectorId, operations: UPDATE, suspendMissingUsers: true };
    const job = await runImport(org, input);
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      counts: { fetched: 190, suspended: 10, unchanged: 190 },
    });
    const gone = (await allResults(org, job.id)).filter((result) => result.outcome === 'SUSPENDED');
    expect(gone.map((result) => result.externalId)).toEqual(range(11, 20).map((n) => String(1000 + n)));
    expect(gone[0]).toMatchObject({
      detail: 'no longer in the application',
      changes: [{ attribute: 'state', from: 'ACTIVE', to: 'SUSPENDED' }],
    });
    expect(await suspendedNumbers(org)).toEqual(range(11, 20));

    const warningsOf = async (id: string) =>
      dataOf(
        await org.query<{ importJob: { warnings: string[] } }>(
          'query ($id: ID!) { importJob(id: $id) { warnings } }',
          { id },
        ),
      ).importJob.warnings;
    hr.users.splice(10, 10);
    hr.failFrom(100);
    const failed = await runImport(org, input);
    expect(failed.status).toBe('FAILED');
    expect(await warningsOf(failed.id)).toContain(
      'Nobody was suspended for being missing: the listing ended with an error',
    );
    hr.failFrom(null);
    const filtered = await runImport(org, { ...input, query: 'department=Ops' });
    expect(filtered).toMatchObject({ status: 'SUCCEEDED', counts: { suspended: 0 } });
    expect(await warningsOf(filtered.id)).toContain(
      'Nobody was suspended for being missing: the listing was filtered (query)',
    );
    expect(await suspendedNumbers(org)).toEqual(range(11, 20));

    const createOnly = await org.query(
      'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
      { input: { ...input, operations: ['USER_CREATE'] } },
    );
    expect(createOnly.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.suspendMissingUsers'],
    });
    const { setImportSchedule } = dataOf(
      await org.query<{ setImportSchedule: { suspendMissingUsers: boolean } }>(
        `mutation ($input: ImportScheduleInput!) { setImportSchedule(input: $input) { suspendMissingUsers } }`,
        {
          input: {
            connectorId,
            operations: { userCreate: true, userUpdate: true },
            suspendMissingUsers: true,
          },
        },
      ),
    );
    expect(setImportSchedule.suspendMissingUsers).toBe(true);
  });

  it('shows for one picked SCIM user what the import would make of them, writing nothing', async () => {
    const org = await federation.newOrganization();
    const users = scimUsers(5);
    const picked = users[2]!.id;
    const scim = await startScimmyProvider({ users, token: 'scim-dry-run-token' });
    providers.push(scim);
    const connectorId = await activeScimConnector(org, scim.url, 'scim-dry-run-token');
    const { startImport: job } = dataOf(
      await startImportNow(org, {
        connectorId,
        operations: ['USER_CREATE'],
        selectedExternalIds: [picked],
        dryRun: true,
      }),
    );
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { fetched: 1, created: 1 } });
    expect(await allResults(org, job.id)).toEqual([
      { externalId: picked, outcome: 'CREATED', detail: null, changes: [] },
    ]);
    expect((await directoryUsers(org)).totalCount).toBe(0);
    // SCIM connectors import new users only: they suspend nobody, so the brake never applies.
    expect((await jobOf(org, job.id)).brakeTrip).toBeNull();
  });

  it('still awaits approval after the import process is killed, and applies the plan once', async () => {
    const { org, connectorId } = await staffWithLeavers(range(1, 60));
    await federation.imports.stop();
    const worker = await spawnImportService(federation.importEnv);
    const { startImport: started } = dataOf(
      await org.query<{ startImport: { id: string } }>(
        'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
        { input: { connectorId, operations: UPDATE } },
      ),
    );
    expect((await waitForJob(org, started.id)).status).toBe('AWAITING_APPROVAL');
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));

    restarted = await startImport(parseConfig('import', importConfigSchema, federation.importEnv));
    // Longer than the restarted worker needs to take over what it would (its sweep runs at once).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await jobOf(org, started.id)).status).toBe('AWAITING_APPROVAL');
    expect(await suspendedNumbers(org)).toEqual([]);
    dataOf(await approve(org, started.id));
    expect(await waitForJob(org, started.id)).toMatchObject({
      status: 'SUCCEEDED',
      counts: { suspended: 60 },
    });
    expect(await suspendedNumbers(org)).toEqual(range(1, 60));
    const { directoryEvents } = dataOf(
      await org.query<{ directoryEvents: { type: string }[] }>('{ directoryEvents(first: 500) { type } }'),
    );
    expect(directoryEvents.filter((event) => event.type === 'USER_SUSPENDED')).toHaveLength(60);
  });
});
