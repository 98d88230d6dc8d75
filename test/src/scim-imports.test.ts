import {
  dataOf,
  expectedScimAttributes,
  expectedScimEmail,
  scimUsers,
  startScimmyProvider,
  startScimProvider,
  startSmtpMailbox,
  type ScimProvider,
  type ScimProviderOptions,
  type ScimUser,
  type SmtpMailbox,
} from '@uif/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import {
  activeScimConnector,
  directoryUsers,
  resultsOf,
  runImport,
  startImportNow,
  waitForJob,
} from './import-helpers.js';

const TOKEN = 'scim-e2e-token-31f9';

describe('SCIM imports through the gateway', () => {
  let federation: Federation;
  let mailbox: SmtpMailbox;
  let scimmy: ScimProvider<ScimUser>;
  const staff = scimUsers(150, { inactiveEvery: 10 });
  const providers: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    mailbox = await startSmtpMailbox();
    federation = await startFederation({ importEnv: { SMTP_URL: mailbox.url, IMPORT_BATCH_SIZE: '40' } });
    scimmy = await startScimmyProvider({ users: staff, token: TOKEN });
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await scimmy?.close();
    await federation?.stop();
    await mailbox?.close();
  });

  async function organization(): Promise<TestOrganization> {
    const org = await federation.newOrganization();
    dataOf(
      await org.query(
        'mutation { updateOrganizationSettings(input: { notificationEmails: ["it@acme.example"] }) { id } }',
      ),
    );
    return org;
  }

  async function mailAbout(jobId: string) {
    const deadline = Date.now() + 10_000;
    const about = (text: string | undefined) => (text ?? '').includes(jobId);
    while (!mailbox.received.some((m) => about(m.mail.text)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    return mailbox.received.find((m) => about(m.mail.text));
  }

  it('imports the users an admin picks before startImport answers, as active users pending a password', async () => {
    const org = await organization();
    const connectorId = await activeScimConnector(org, scimmy.url, TOKEN);
    const { importCandidates } = dataOf(
      await org.query<{
        importCandidates: { totalCount: number; nodes: { externalId: string; email: string }[] };
      }>(
        'query ($id: ID!) { importCandidates(connectorId: $id) { totalCount nodes { externalId email } } }',
        { id: connectorId },
      ),
    );
    const active = staff.filter((user) => user.active);
    expect(importCandidates.totalCount).toBe(active.length);
    expect(importCandidates.nodes.slice(0, 4)).toEqual(
      active.slice(0, 4).map((user) => ({ externalId: user.id, email: expectedScimEmail(user) })),
    );

    const picked = active.slice(0, 4);
    const before = scimmy.requests.length;
    const { startImport: job } = dataOf(
      await startImportNow(org, {
        connectorId,
        operations: ['USER_CREATE'],
        selectedExternalIds: picked.map((user) => user.id),
      }),
    );
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(job.counts).toMatchObject({ fetched: 4, created: 4, skipped: 0, failed: 0 });
    // The picked users were read by id: nobody else was listed.
    const asked = scimmy.requests.slice(before).map((request) => request.url.pathname);
    expect(asked.sort()).toEqual(picked.map((user) => `/scim/v2/Users/${user.id}`).sort());

    const { users } = dataOf(
      await org.query<{ users: { nodes: Record<string, unknown>[] } }>(
        `{ users(first: 10) { nodes { email username firstname lastname middlename displayname jobTitle employeeType
            employeeIdentifier costCenter department organization state passwordStatus
            addresses { type streetAddress locality region postalCode country } phoneNumbers { type number } } } }`,
      ),
    );
    expect(users.nodes).toEqual(
      picked.map((user) => ({ ...expectedScimAttributes(user), state: 'ACTIVE', passwordStatus: 'PENDING' })),
    );

    const { directoryEvents } = dataOf(
      await org.query<{ directoryEvents: Record<string, unknown>[] }>(
        'query ($id: ID!) { directoryEvents(connectorId: $id) { type actor connector { displayLabel kind } importJob { id } } }',
        { id: connectorId },
      ),
    );
    expect(directoryEvents).toHaveLength(4);
    for (const event of directoryEvents) {
      expect(event).toEqual({
        type: 'USER_CREATED',
        actor: 'e2e key',
        connector: { displayLabel: 'Acme Wiki', kind: 'SCIM' },
        importJob: { id: job.id },
      });
    }
    const mail = await mailAbout(job.id);
    expect(mail?.envelopeTo).toEqual(['it@acme.example']);
    expect(mail?.mail.subject).toBe('User Import Complete: Acme Wiki');
  });

  it('refuses updates on a SCIM connector, for an import and for a schedule, and adds no schedule', async () => {
    const org = await organization();
    const connectorId = await activeScimConnector(org, scimmy.url, TOKEN);
    const refused = await startImportNow(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(refused.errors?.[0]).toMatchObject({
      message:
        'input.operations may not update users: Acme Wiki is a SCIM connector, and SCIM connectors import new users only',
      extensions: { code: 'BAD_USER_INPUT', fields: ['input.operations'] },
    });
    const SCHEDULE =
      'mutation ($input: ImportScheduleInput!) { setImportSchedule(input: $input) { enabled operations { userCreate userUpdate } } }';
    const schedule = await org.query(SCHEDULE, {
      input: { connectorId, operations: { userCreate: true, userUpdate: true } },
    });
    expect(schedule.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.operations.userUpdate'],
    });
    const state = dataOf(
      await org.query<{ connector: { importSchedule: unknown; importJobs: unknown[] } }>(
        'query ($id: ID!) { connector(id: $id) { importSchedule { enabled } importJobs { id } } }',
        { id: connectorId },
      ),
    );
    expect(state.connector).toEqual({ importSchedule: null, importJobs: [] });
    const newOnly = await org.query(SCHEDULE, {
      input: { connectorId, operations: { userCreate: true, userUpdate: false } },
    });
    expect(dataOf(newOnly).setImportSchedule).toEqual({
      enabled: true,
      operations: { userCreate: true, userUpdate: false },
    });
    // Activating again (after a new token, say) keeps the schedule the admin set.
    dataOf(
      await org.query('mutation ($id: ID!) { activateConnector(connectorId: $id) { id } }', {
        id: connectorId,
      }),
    );
    const kept = dataOf(
      await org.query<{ connector: { importSchedule: unknown } }>(
        'query ($id: ID!) { connector(id: $id) { importSchedule { enabled operations { userCreate userUpdate } } } }',
        { id: connectorId },
      ),
    );
    expect(kept.connector.importSchedule).toEqual({
      enabled: true,
      operations: { userCreate: true, userUpdate: false },
    });
  });

  it('runs a selection of 100 or more in the background, and emails its results', async () => {
    const org = await organization();
    const connectorId = await activeScimConnector(org, scimmy.url, TOKEN);
    const picked = staff.filter((user) => user.active).slice(0, 100);
    const { startImport } = dataOf(
      await startImportNow(org, {
        connectorId,
        operations: ['USER_CREATE'],
        selectedExternalIds: picked.map((user) => user.id),
      }),
    );
    expect(['QUEUED', 'RUNNING']).toContain(startImport.status);
    const job = await waitForJob(org, startImport.id);
    expect(job.counts).toMatchObject({ fetched: 100, created: 100, skipped: 0, failed: 0 });
    expect((await directoryUsers(org)).totalCount).toBe(100);
    expect(await mailAbout(job.id)).toBeDefined();
  });

  it('reports a picked user the application no longer has, and imports the others', async () => {
    const org = await organization();
    const connectorId = await activeScimConnector(org, scimmy.url, TOKEN);
    const { startImport: job } = dataOf(
      await startImportNow(org, {
        connectorId,
        operations: ['USER_CREATE'],
        selectedExternalIds: [staff[0]!.id, 'scim-gone'],
      }),
    );
    expect(job.counts).toMatchObject({ fetched: 1, created: 1, skipped: 1 });
    const results = await resultsOf(org, job.id);
    expect(results.nodes.map((r) => [r.externalId, r.outcome, r.detail])).toEqual([
      [staff[0]!.id, 'CREATED', null],
      ['scim-gone', 'SKIPPED', 'The application has no user with this id any more'],
    ]);
  });

  it('finds a selection by listing when the mapping keys users by another id (statuses left at their defaults)', async () => {
    const org = await organization();
    const connectorId = await activeScimConnector(org, scimmy.url, TOKEN);
    const { connector } = dataOf(
      await org.query<{ connector: { mapping: { entries: unknown[]; statusPath: string } } }>(
        'query ($id: ID!) { connector(id: $id) { mapping { entries { target sourcePath } statusPath } } }',
        { id: connectorId },
      ),
    );
    dataOf(
      await org.query(
        'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { id } }',
        {
          id: connectorId,
          // The admin leaves the statuses out, so the contract's defaults (Leave, Inactive…) apply:
          // SCIM's active flag must still count.
          m: { ...connector.mapping, externalIdPath: '$.externalId' },
        },
      ),
    );
    const before = scimmy.requests.length;
    const { startImport: job } = dataOf(
      await startImportNow(org, {
        connectorId,
        operations: ['USER_CREATE'],
        selectedExternalIds: [staff[0]!.externalId],
      }),
    );
    expect(job.counts).toMatchObject({ fetched: staff.length, created: 1 });
    const asked = scimmy.requests.slice(before).map((request) => request.url.pathname);
    expect(new Set(asked)).toEqual(new Set(['/scim/v2/Users']));
  });

  it('passes the advanced query to the service as its SCIM filter', async () => {
    const org = await organization();
    const connectorId = await activeScimConnector(org, scimmy.url, TOKEN);
    const wanted = staff[6]!;
    const job = await runImport(org, {
      connectorId,
      operations: ['USER_CREATE'],
      query: `userName eq "${wanted.userName}"`,
    });
    expect(job.counts).toMatchObject({ fetched: 1, created: 1 });
    expect((await directoryUsers(org)).nodes.map((user) => user.username)).toEqual([wanted.userName]);
  });

  describe('tolerates what real SCIM services get wrong', () => {
    const users = scimUsers(250, { inactiveEvery: 10, prefix: 'dev' });
    const active = users.filter((user) => user.active).length;
    it.each<[string, Partial<ScimProviderOptions>]>([
      ['startIndex echoed 0-based', { echoZeroBasedStartIndex: true }],
      ['no totalResults', { omitTotalResults: true }],
      ['totalResults equal to the page size', { totalResultsIsPageSize: true }],
      ['an itemsPerPage that does not match', { wrongItemsPerPage: true }],
      ['count ignored: every user in one page', { ignoreCount: true }],
      ['fewer users per page than asked (maxResults 30)', { maxResults: 30 }],
      ['maxResults 30 and no totalResults', { maxResults: 30, omitTotalResults: true }],
      ['maxResults 30 and totalResults the page size', { maxResults: 30, totalResultsIsPageSize: true }],
      ['overlapping pages', { overlapPages: true }],
      ['booleans as "True"/"False"', { stringBooleans: true }],
      ['active as 1/0', { numericActive: true }],
    ])('%s: every active user is created once', async (_, deviation) => {
      const provider = await startScimProvider({ users, token: TOKEN, ...deviation });
      providers.push(provider);
      const org = await federation.newOrganization();
      const connectorId = await activeScimConnector(org, provider.url, TOKEN);
      const job = await runImport(org, { connectorId, operations: ['USER_CREATE'] });
      expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(job.counts).toMatchObject({ fetched: 250, created: active, skipped: 250 - active, failed: 0 });
      const results = await resultsOf(org, job.id);
      expect(new Set(results.nodes.map((r) => r.externalId)).size).toBe(250);
      expect((await directoryUsers(org)).totalCount).toBe(active);
    });
  });

  it('fails the import with the service’s SCIM error, verbatim, when it refuses the filter', async () => {
    const provider = await startScimProvider({ users: scimUsers(3), token: TOKEN, rejectFilter: true });
    providers.push(provider);
    const org = await organization();
    const connectorId = await activeScimConnector(org, provider.url, TOKEN);
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE'], query: 'title eq "x"' });
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(
      /^The SCIM service answered HTTP 400 to GET .*\/Users\?startIndex=1&count=100&filter=title\+eq\+%22x%22 \(scimType invalidFilter\): Filter is not supported: title eq "x"$/,
    );
    expect((await directoryUsers(org)).totalCount).toBe(0);
  });

  it('stops an import in progress with an error when the connector is deactivated', async () => {
    const provider = await startScimProvider({ users: scimUsers(600), token: TOKEN });
    providers.push(provider);
    const org = await organization();
    const connectorId = await activeScimConnector(org, provider.url, TOKEN);
    provider.delayPages(150);
    const { startImport } = dataOf(await startImportNow(org, { connectorId, operations: ['USER_CREATE'] }));
    // Deactivated mid-listing: once the job has asked for its second page (each takes 150 ms).
    const pagesAsked = () =>
      provider.requests.filter(
        (r) => r.url.pathname === '/scim/v2/Users' && r.url.searchParams.get('count') !== '1',
      ).length;
    for (const deadline = Date.now() + 10_000; pagesAsked() < 2;) {
      expect(Date.now(), 'the job asked for a second page').toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    dataOf(
      await org.query('mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state } }', {
        id: connectorId,
      }),
    );
    const job = await waitForJob(org, startImport.id);
    expect(job.status).toBe('FAILED');
    expect(job.error).toBe('Connector Acme Wiki is deactivated: the import stopped');
    expect((await directoryUsers(org)).totalCount).toBeLessThan(600);
    expect(await mailAbout(job.id)).toBeDefined();
    const again = await startImportNow(org, { connectorId, operations: ['USER_CREATE'] });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
