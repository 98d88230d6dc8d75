import { dataOf, type TestServer } from '@uif/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation } from './federation.js';
import {
  activeConnector,
  directoryUsers,
  employee,
  resultsOf,
  runImport,
  startHr,
  type Employee,
} from './import-helpers.js';

describe('manual imports through the gateway', () => {
  let federation: Federation;
  const providers: TestServer[] = [];
  beforeAll(async () => {
    federation = await startFederation({ importEnv: { IMPORT_BATCH_SIZE: '3' } });
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close()));
  });
  afterAll(() => federation?.stop());

  async function setup(employees: Employee[]) {
    const org = await federation.newOrganization();
    const hr = await startHr(employees);
    providers.push(hr);
    const connectorId = await activeConnector(org, hr.url);
    return { org, hr, connectorId };
  }

  it('imports new users and updates: creates active users only, and a second run changes nothing', async () => {
    const staff = [
      employee(1),
      employee(2),
      employee(3, { status: 'Leave' }),
      employee(4),
      employee(5),
      employee(6, { status: 'onboarding' }),
    ];
    const { org, connectorId } = await setup(staff);
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(job.counts).toEqual({
      fetched: 6,
      created: 5,
      updated: 0,
      suspended: 0,
      reactivated: 0,
      unchanged: 0,
      skipped: 1,
      failed: 0,
    });
    const results = await resultsOf(org, job.id);
    expect(results.nodes.map((r) => [r.externalId, r.outcome])).toEqual([
      ['1001', 'CREATED'],
      ['1002', 'CREATED'],
      ['1003', 'SKIPPED'],
      ['1004', 'CREATED'],
      ['1005', 'CREATED'],
      ['1006', 'CREATED'],
    ]);
    expect(results.nodes[2]!.detail).toBe(
      'Status "Leave" does not count as active: new users are created only when active',
    );

    const { user } = dataOf(
      await org.query<{ user: Record<string, unknown> }>(
        'query ($id: ID!) { user(id: $id) { email state passwordStatus importedFrom { displayLabel } createdByImport { id status startedBy } } }',
        { id: results.nodes[0]!.user!.id },
      ),
    );
    expect(user).toEqual({
      email: 'worker1@acme.example',
      state: 'ACTIVE',
      passwordStatus: 'PENDING',
      importedFrom: { displayLabel: 'Acme HR' },
      createdByImport: { id: job.id, status: 'SUCCEEDED', startedBy: 'e2e key' },
    });

    const again = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(again.counts).toMatchObject({ fetched: 6, created: 0, updated: 0, unchanged: 5, skipped: 1 });
    expect((await directoryUsers(org)).totalCount).toBe(5);
  });

  it('updates changed attributes only, suspends inactive users, and leaves new users alone with updates only', async () => {
    const staff = [employee(1), employee(2), employee(3)];
    const { org, hr, connectorId } = await setup(staff);
    await runImport(org, { connectorId, operations: ['USER_CREATE'] });
    hr.users.splice(
      0,
      3,
      employee(1, { department: 'Finance', last: 'Newname' }),
      employee(2, { status: 'Inactive' }),
      employee(3),
      employee(4),
    );
    const job = await runImport(org, { connectorId, operations: ['USER_UPDATE'] });
    expect(job.counts).toMatchObject({
      fetched: 4,
      updated: 1,
      suspended: 1,
      unchanged: 1,
      skipped: 1,
      created: 0,
    });
    const results = await resultsOf(org, job.id);
    expect(results.nodes.map((r) => [r.externalId, r.outcome, r.detail])).toEqual([
      ['1001', 'UPDATED', 'Changed: lastname, department'],
      ['1002', 'SUSPENDED', null],
      ['1003', 'UNCHANGED', null],
      ['1004', 'SKIPPED', 'Not in the directory, and this import does not create users'],
    ]);
    const users = await directoryUsers(org);
    expect(users.nodes.map((u) => [u.username, u.state, u.department])).toEqual([
      ['worker1', 'ACTIVE', 'Finance'],
      ['worker2', 'SUSPENDED', 'Ops'],
      ['worker3', 'ACTIVE', 'Ops'],
    ]);
  });

  it('reactivates a suspended user whose status is active again only when allowed', async () => {
    const { org, hr, connectorId } = await setup([employee(1)]);
    await runImport(org, { connectorId, operations: ['USER_CREATE'] });
    hr.users[0] = employee(1, { status: 'Leave' });
    await runImport(org, { connectorId, operations: ['USER_UPDATE'] });
    hr.users[0] = employee(1);
    const without = await runImport(org, { connectorId, operations: ['USER_UPDATE'] });
    expect(without.counts).toMatchObject({ unchanged: 1, reactivated: 0 });
    expect((await directoryUsers(org)).nodes[0]!.state).toBe('SUSPENDED');
    const withIt = await runImport(org, {
      connectorId,
      operations: ['USER_UPDATE'],
      allowUserReactivation: true,
    });
    expect(withIt.counts).toMatchObject({ reactivated: 1 });
    expect((await directoryUsers(org)).nodes[0]!.state).toBe('ACTIVE');
  });

  it('imports only new users, skipping the known ones', async () => {
    const { org, hr, connectorId } = await setup([employee(1)]);
    await runImport(org, { connectorId, operations: ['USER_CREATE'] });
    hr.users.splice(0, 1, employee(1, { department: 'Changed' }), employee(2));
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE'] });
    expect(job.counts).toMatchObject({ created: 1, skipped: 1, updated: 0 });
    expect((await directoryUsers(org)).nodes.map((u) => u.department)).toEqual(['Ops', 'Ops']);
  });

  it('stops creating at the license limit and says why', async () => {
    const { org, connectorId } = await setup([employee(1), employee(2), employee(3), employee(4)]);
    dataOf(await org.query('mutation { updateOrganizationSettings(input: { userLicenseLimit: 2 }) { id } }'));
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job.counts).toMatchObject({ created: 2, skipped: 2 });
    const results = await resultsOf(org, job.id);
    expect(results.nodes[3]).toMatchObject({
      outcome: 'SKIPPED',
      detail: "The organization's user license limit (2) is reached",
    });
  });

  it('lists the new users to pick from, counts those the mapping cannot import, and imports only the selected ones', async () => {
    const { org, connectorId } = await setup([
      employee(1),
      employee(2, { status: 'Leave' }),
      employee(3),
      employee(4),
      employee(5, { email: 'not an email' }),
    ]);
    await runImport(org, { connectorId, operations: ['USER_CREATE'], selectedExternalIds: ['1001'] });
    const { importCandidates } = dataOf(
      await org.query<{
        importCandidates: {
          totalCount: number;
          nodes: { externalId: string; email: string; status: string }[];
          unmappableCount: number;
        };
      }>(
        'query ($id: ID!) { importCandidates(connectorId: $id) { totalCount nodes { externalId email status } unmappableCount } }',
        { id: connectorId },
      ),
    );
    expect(importCandidates).toEqual({
      totalCount: 2,
      nodes: [
        { externalId: '1003', email: 'Worker3@Acme.example', status: 'Active' },
        { externalId: '1004', email: 'Worker4@Acme.example', status: 'Active' },
      ],
      unmappableCount: 1,
    });
    const job = await runImport(org, {
      connectorId,
      operations: ['USER_CREATE'],
      selectedExternalIds: ['1004'],
    });
    expect(job.counts).toMatchObject({ fetched: 5, created: 1, skipped: 4, failed: 0 });
    expect((await directoryUsers(org)).nodes.map((u) => u.username)).toEqual(['worker1', 'worker4']);
  });

  it('sends the advanced query to the provider', async () => {
    const { org, hr, connectorId } = await setup([employee(1)]);
    await runImport(org, { connectorId, operations: ['USER_CREATE'], query: 'department=Ops&active=true' });
    const listing = hr.requests.at(-1)!.url.searchParams;
    expect(listing.get('department')).toBe('Ops');
    expect(listing.get('active')).toBe('true');
  });

  it('fails only the users with bad data, and the job ends PARTIAL', async () => {
    const staff = [
      employee(1),
      employee(2, { email: 'worker1@ACME.example' }),
      employee(3, { email: 'not-an-email' }),
      employee(4),
    ];
    const { org, connectorId } = await setup(staff);
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job.status).toBe('PARTIAL');
    expect(job.counts).toMatchObject({ created: 2, failed: 2, updated: 0 });
    const results = await resultsOf(org, job.id);
    expect(results.nodes.map((r) => [r.externalId, r.outcome])).toEqual([
      ['1001', 'CREATED'],
      ['1002', 'FAILED'],
      ['1003', 'FAILED'],
      ['1004', 'CREATED'],
    ]);
    expect(results.nodes[1]!.detail).toBe('Another user already has the email worker1@acme.example');
    expect(results.nodes[2]!.detail).toBe('email: is not a valid email address');
  });

  it('links a directory user with the same email instead of creating a second one', async () => {
    const { org, connectorId } = await setup([employee(1, { email: 'Shared@Acme.example' })]);
    const { results } = await federation.batches.applyUserBatch({
      organizationId: org.id,
      connectorId: 'another-source',
      actor: 'seed',
      changes: [
        {
          kind: 'create',
          externalId: 'x',
          attributes: { email: 'shared@acme.example', username: 'shared', lastname: 'Old' },
        },
      ],
    });
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job.counts).toMatchObject({ created: 0, updated: 1 });
    const users = await directoryUsers(org);
    expect(users.totalCount).toBe(1);
    expect(users.nodes[0]).toMatchObject({ id: results[0]!.userId, lastname: 'Last1', username: 'worker1' });
  });

  it('fails with the provider’s words when it breaks mid-listing, and suspends nobody', async () => {
    const staff = [employee(1), employee(2), employee(3), employee(4), employee(5)];
    const { org, hr, connectorId } = await setup(staff);
    await runImport(org, { connectorId, operations: ['USER_CREATE'] });
    // Everybody left, but the provider dies after the first page: a partial list must change nothing.
    hr.users.splice(0, 5, ...staff.map((e) => ({ ...e, status: 'Inactive' })));
    hr.failFrom(4);
    const job = await runImport(org, { connectorId, operations: ['USER_UPDATE'] });
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(
      /^The provider answered HTTP 500 to GET http:\/\/127\.0\.0\.1:\d+\/employees\?limit=4&offset=4$/,
    );
    const users = await directoryUsers(org);
    expect(users.nodes.every((u) => u.state === 'ACTIVE')).toBe(true);
    expect(users.totalCount).toBe(5);
  });

  it('refuses a bad request, an inactive connector and another organization’s connector', async () => {
    const { org, connectorId } = await setup([employee(1)]);
    const START = 'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }';
    const mixed = await org.query(START, {
      input: { connectorId, operations: ['USER_UPDATE'], selectedExternalIds: ['1'] },
    });
    expect(mixed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.selectedExternalIds'],
    });
    const none = await org.query(START, { input: { connectorId, operations: [] } });
    expect(none.errors?.[0]?.message).toBe('input.operations must name at least one operation');
    const other = await federation.newOrganization();
    const foreign = await other.query(START, { input: { connectorId, operations: ['USER_CREATE'] } });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    dataOf(
      await org.query('mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state } }', {
        id: connectorId,
      }),
    );
    const inactive = await org.query(START, { input: { connectorId, operations: ['USER_CREATE'] } });
    expect(inactive.errors?.[0]).toMatchObject({
      message: 'Connector Acme HR is deactivated: activate it first',
      extensions: { code: 'CONFLICT' },
    });
  });
});
