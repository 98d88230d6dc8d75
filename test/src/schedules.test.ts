import { importConfigSchema, startImport } from '@uif/import';
import { parseConfig } from '@uif/runtime';
import { dataOf, startSmtpMailbox, type HrProvider, type SmtpMailbox } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { activeConnector, employee, startHr, waitForJob } from './import-helpers.js';

const SCHEDULE = `importSchedule { enabled minuteOfHour nextRunAt allowUserReactivation sendEmail query skippedRuns
  operations { userCreate userUpdate } lastJob { id trigger startedBy status } }`;

interface Schedule {
  enabled: boolean;
  minuteOfHour: number;
  nextRunAt: string | null;
  allowUserReactivation: boolean;
  sendEmail: boolean;
  query: string | null;
  skippedRuns: number;
  operations: { userCreate: boolean; userUpdate: boolean };
  lastJob: { id: string; trigger: string; startedBy: string; status: string } | null;
}

describe('hourly scheduled imports', () => {
  let federation: Federation;
  let hr: HrProvider;
  let mailbox: SmtpMailbox;
  let restarted: Awaited<ReturnType<typeof startImport>> | null = null;
  beforeAll(async () => {
    mailbox = await startSmtpMailbox();
    federation = await startFederation({
      importEnv: { IMPORT_SCHEDULER_SECONDS: '0.2', SMTP_URL: mailbox.url },
    });
    hr = await startHr([employee(1), employee(2)]);
  });
  afterAll(async () => {
    await restarted?.stop();
    await hr?.close();
    await federation?.stop();
    await mailbox?.close();
  });

  async function scheduleOf(org: TestOrganization, connectorId: string): Promise<Schedule | null> {
    const { connector } = dataOf(
      await org.query<{ connector: { importSchedule: Schedule | null } }>(
        `query ($id: ID!) { connector(id: $id) { ${SCHEDULE} } }`,
        {
          id: connectorId,
        },
      ),
    );
    return connector.importSchedule;
  }

  /**
   * Makes the schedule due, as if its minute had come (no waiting an hour). Straight in the test
   * database, through whichever service's connection is open (they share the database in tests).
   */
  async function makeDue(connectorId: string, hoursAgo = 0) {
    const dataSource = federation.imports.dataSource.isInitialized
      ? federation.imports.dataSource
      : federation.directory.dataSource;
    await dataSource.query('UPDATE import_schedules SET nextRunAt = ? WHERE connectorId = ?', [
      new Date(Date.now() - hoursAgo * 3_600_000 - 1000),
      connectorId,
    ]);
  }

  async function jobsOf(org: TestOrganization, connectorId: string) {
    const { importJobs } = dataOf(
      await org.query<{ importJobs: { id: string; trigger: string; startedBy: string }[] }>(
        'query ($id: ID!) { importJobs(connectorId: $id) { id trigger startedBy } }',
        { id: connectorId },
      ),
    );
    return importJobs;
  }

  it('gives an activated connector an hourly schedule whose first run falls within the hour', async () => {
    const org = await federation.newOrganization();
    const before = Date.now();
    const connectorId = await activeConnector(org, hr.url);
    const schedule = (await scheduleOf(org, connectorId))!;
    expect(schedule).toMatchObject({
      enabled: true,
      allowUserReactivation: false,
      sendEmail: false,
      operations: { userCreate: true, userUpdate: true },
      skippedRuns: 0,
      lastJob: null,
    });
    const next = new Date(schedule.nextRunAt!);
    expect(next.getUTCMinutes()).toBe(schedule.minuteOfHour);
    expect(next.getUTCSeconds()).toBe(0);
    expect(next.getTime()).toBeGreaterThan(before);
    expect(next.getTime()).toBeLessThanOrEqual(before + 3_600_000);
  });

  it('keeps the minute when the schedule changes, and can be switched off and deleted', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url);
    const { minuteOfHour } = (await scheduleOf(org, connectorId))!;
    const SET = `mutation ($input: ImportScheduleInput!) { setImportSchedule(input: $input) { minuteOfHour enabled nextRunAt sendEmail query operations { userCreate userUpdate } } }`;
    const changed = dataOf(
      await org.query<{ setImportSchedule: Schedule }>(SET, {
        input: {
          connectorId,
          operations: { userCreate: false, userUpdate: true },
          sendEmail: true,
          query: 'status=active',
        },
      }),
    );
    expect(changed.setImportSchedule).toMatchObject({
      minuteOfHour,
      enabled: true,
      sendEmail: true,
      query: 'status=active',
      operations: { userCreate: false, userUpdate: true },
    });
    const off = dataOf(
      await org.query<{ setImportSchedule: Schedule }>(SET, {
        input: { connectorId, enabled: false, operations: { userCreate: true, userUpdate: true } },
      }),
    );
    expect(off.setImportSchedule).toMatchObject({ minuteOfHour, enabled: false, nextRunAt: null });
    const none = await org.query(SET, {
      input: { connectorId, operations: { userCreate: false, userUpdate: false } },
    });
    expect(none.errors?.[0]).toMatchObject({
      message: 'input.operations must turn on userCreate, userUpdate or both',
      extensions: { code: 'BAD_USER_INPUT' },
    });

    const DELETE = 'mutation ($id: ID!) { deleteImportSchedule(connectorId: $id) }';
    expect(dataOf(await org.query(DELETE, { id: connectorId }))).toEqual({ deleteImportSchedule: true });
    expect(await scheduleOf(org, connectorId)).toBeNull();
    expect(dataOf(await org.query(DELETE, { id: connectorId }))).toEqual({ deleteImportSchedule: false });
  });

  it('runs a due tick once, as the scheduler, even when ticks were missed for hours', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url);
    await makeDue(connectorId, 5);
    const deadline = Date.now() + 10_000;
    while ((await jobsOf(org, connectorId)).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((resolve) => setTimeout(resolve, 800));
    const jobs = await jobsOf(org, connectorId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ trigger: 'SCHEDULED', startedBy: 'scheduler' });
    const finished = await waitForJob(org, jobs[0]!.id);
    expect(finished.counts).toMatchObject({ created: 2 });
    const schedule = (await scheduleOf(org, connectorId))!;
    expect(schedule.lastJob).toMatchObject({ id: jobs[0]!.id, status: 'SUCCEEDED' });
    expect(new Date(schedule.nextRunAt!).getTime()).toBeGreaterThan(Date.now());
    // sendEmail is off by default: no summary for this scheduled run.
    expect(mailbox.received.some((m) => (m.mail.text ?? '').includes(jobs[0]!.id))).toBe(false);
  });

  it('skips a tick while the previous run is still going, and says so on the schedule', async () => {
    const org = await federation.newOrganization();
    const slow = await startHr(Array.from({ length: 12 }, (_, i) => employee(i + 1)));
    try {
      const connectorId = await activeConnector(org, slow.url, 2);
      slow.delayPages(300);
      const { startImport } = dataOf(
        await org.query<{ startImport: { id: string } }>(
          'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
          {
            input: { connectorId, operations: ['USER_CREATE'] },
          },
        ),
      );
      await makeDue(connectorId);
      const deadline = Date.now() + 10_000;
      while (((await scheduleOf(org, connectorId))?.skippedRuns ?? 0) === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await scheduleOf(org, connectorId))!.skippedRuns).toBe(1);
      expect((await jobsOf(org, connectorId)).map((j) => j.id)).toEqual([startImport.id]);
      await waitForJob(org, startImport.id);
    } finally {
      await slow.close();
    }
  });

  it('emails the summary of a scheduled run when the schedule asks for it', async () => {
    const org = await federation.newOrganization();
    dataOf(
      await org.query(
        'mutation { updateOrganizationSettings(input: { notificationEmails: ["ops@acme.example"] }) { id } }',
      ),
    );
    const connectorId = await activeConnector(org, hr.url);
    dataOf(
      await org.query(
        'mutation ($input: ImportScheduleInput!) { setImportSchedule(input: $input) { enabled } }',
        {
          input: { connectorId, operations: { userCreate: true, userUpdate: true }, sendEmail: true },
        },
      ),
    );
    await makeDue(connectorId);
    const deadline = Date.now() + 15_000;
    let job: { id: string } | undefined;
    while (!job && Date.now() < deadline) {
      job = (await jobsOf(org, connectorId))[0];
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitForJob(org, job!.id);
    while (!mailbox.received.some((m) => (m.mail.text ?? '').includes(job!.id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const mail = mailbox.received.find((m) => (m.mail.text ?? '').includes(job!.id));
    expect(mail?.envelopeTo).toEqual(['ops@acme.example']);
  });

  it('removes the schedule of a deactivated connector', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url);
    expect(await scheduleOf(org, connectorId)).not.toBeNull();
    dataOf(
      await org.query('mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state } }', {
        id: connectorId,
      }),
    );
    expect(await scheduleOf(org, connectorId)).toBeNull();
  });

  it('runs a tick missed while the import service was down once, when it comes back', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url);
    await federation.imports.stop();
    await makeDue(connectorId, 3);
    restarted = await startImport(parseConfig('import', importConfigSchema, federation.importEnv));
    const deadline = Date.now() + 10_000;
    while ((await jobsOf(org, connectorId)).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((resolve) => setTimeout(resolve, 800));
    const jobs = await jobsOf(org, connectorId);
    expect(jobs).toHaveLength(1);
    await waitForJob(org, jobs[0]!.id);
  });
});
