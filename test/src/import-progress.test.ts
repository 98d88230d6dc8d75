import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation } from './federation.js';
import { activeConnector, dashboard, employee, startHr, waitForJob } from './import-helpers.js';

interface ProgressEvent {
  jobId: string;
  status: string;
  phase: string;
  processed: number;
  total: number | null;
  percent: number | null;
  counts: { created: number };
  job: { connector: { displayLabel: string } };
}

const PROGRESS = `subscription ($id: ID!) {
  importJobProgress(jobId: $id) { jobId status phase processed total percent counts { created } job { connector { displayLabel } } }
}`;

/** Every event of a subscription until it completes (or errors). */
function collect<T>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const events: T[] = [];
  const done = new Promise<T[]>((resolve, reject) => {
    client.subscribe<T>(
      { query, variables },
      {
        next: (result) =>
          result.errors ? reject(new Error(JSON.stringify(result.errors))) : events.push(result.data as T),
        error: reject,
        complete: () => resolve(events),
      },
    );
  });
  return { events, done };
}

describe('live import progress through the gateway', () => {
  let federation: Federation;
  let hr: HrProvider;
  const clients: Client[] = [];
  beforeAll(async () => {
    federation = await startFederation({ importEnv: { IMPORT_BATCH_SIZE: '5' } });
    hr = await startHr(Array.from({ length: 30 }, (_, i) => employee(i + 1)));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await hr?.close();
    await federation?.stop();
  });

  it('streams monotonic progress with cross-subgraph fields, ending in DONE; other organizations hear nothing', async () => {
    const org = await federation.newOrganization();
    const stranger = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url, 5);
    hr.delayPages(60);
    const strangerClient = dashboard(federation, stranger);
    clients.push(strangerClient);
    const overheard = collect<{ importJobUpdates: ProgressEvent }>(
      strangerClient,
      'subscription { importJobUpdates { jobId } }',
    );

    const { data } = await org.query<{ startImport: { id: string } }>(
      'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
      { input: { connectorId, operations: ['USER_CREATE'] } },
    );
    const jobId = data!.startImport.id;
    const client = dashboard(federation, org);
    clients.push(client);
    const events = (
      await collect<{ importJobProgress: ProgressEvent }>(client, PROGRESS, { id: jobId }).done
    ).map((e) => e.importJobProgress);

    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.jobId === jobId && e.job.connector.displayLabel === 'Acme HR')).toBe(true);
    const processed = events.map((e) => e.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      phase: 'DONE',
      status: 'SUCCEEDED',
      processed: 30,
      total: 30,
      percent: 100,
      counts: { created: 30 },
    });
    expect(events.slice(0, -1).every((e) => e.phase !== 'DONE')).toBe(true);
    expect(overheard.events).toEqual([]);
  });

  it('gives a late subscriber of a finished job its final state, then completes', async () => {
    const org = await federation.newOrganization();
    hr.delayPages(0);
    const connectorId = await activeConnector(org, hr.url, 10);
    const { data } = await org.query<{ startImport: { id: string } }>(
      'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
      { input: { connectorId, operations: ['USER_CREATE'] } },
    );
    await waitForJob(org, data!.startImport.id);
    const client = dashboard(federation, org);
    clients.push(client);
    const events = await collect<{ importJobProgress: ProgressEvent }>(client, PROGRESS, {
      id: data!.startImport.id,
    }).done;
    expect(events).toHaveLength(1);
    expect(events[0]!.importJobProgress).toMatchObject({ phase: 'DONE', percent: 100 });
  });

  it('refuses another organization’s job and a connection without a key', async () => {
    const owner = await federation.newOrganization();
    const other = await federation.newOrganization();
    const connectorId = await activeConnector(owner, hr.url, 10);
    const { data } = await owner.query<{ startImport: { id: string } }>(
      'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
      { input: { connectorId, operations: ['USER_CREATE'] } },
    );
    const client = dashboard(federation, other);
    clients.push(client);
    await expect(collect(client, PROGRESS, { id: data!.startImport.id }).done).rejects.toThrow(/NOT_FOUND/);
    await waitForJob(owner, data!.startImport.id);

    const anonymous = createClient({
      url: federation.gateway.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    clients.push(anonymous);
    await expect(
      collect(anonymous, 'subscription { importJobUpdates { jobId } }').done,
    ).rejects.toMatchObject({ code: 4403 });
  });
});
