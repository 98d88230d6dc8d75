import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { USER_LISTING_PATH } from '@uif/connector-client';
import { dataOf, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation } from './federation.js';
import { activeConnector, directoryUsers, employee, runImport, startHr } from './import-helpers.js';

const USERS = 3_000;
const PAGE_SIZE = 50;

/**
 * A TCP relay in front of the connector service that cuts the connection of one listing once it
 * has carried `cutAfterBytes` of its answer: the service stopped answering mid-way, as when it restarts.
 */
async function cuttingRelay(cutAfterBytes: number) {
  let target: URL | null = null;
  let cuts = 0;
  const server: Server = createServer((client: Socket) => {
    const upstream = connect(Number(target!.port), target!.hostname);
    let carriesListing = false;
    let answered = 0;
    client.on('data', (chunk: Buffer) => {
      carriesListing ||= chunk.toString('latin1').includes(USER_LISTING_PATH);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (carriesListing && cuts === 0) {
        answered += chunk.length;
        if (answered > cutAfterBytes) {
          cuts += 1;
          client.destroy();
          upstream.destroy();
          return;
        }
      }
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwardTo: (url: string) => (target = new URL(url)),
    cuts: () => cuts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a listing cut off mid-way', () => {
  let federation: Federation;
  let relay: Awaited<ReturnType<typeof cuttingRelay>>;
  let hr: HrProvider;
  beforeAll(async () => {
    relay = await cuttingRelay(100_000);
    federation = await startFederation({ importEnv: { CONNECTOR_URL: relay.url } });
    relay.forwardTo(federation.connector.url);
    hr = await startHr(Array.from({ length: USERS }, (_, i) => employee(i + 1)));
  });
  afterAll(async () => {
    await hr?.close();
    await federation?.stop();
    await relay?.close();
  });

  it('is read on from the page after the last one read: every user once, nobody read twice', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url, PAGE_SIZE);
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });

    expect(relay.cuts()).toBe(1);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ fetched: USERS, created: USERS, failed: 0 });
    const { importJob } = dataOf(
      await org.query<{ importJob: { warnings: string[] } }>(
        'query ($id: ID!) { importJob(id: $id) { warnings } }',
        { id: job.id },
      ),
    );
    // A page read twice would have been said: the provider "listed some users more than once".
    expect(importJob.warnings).toEqual([]);
    expect((await directoryUsers(org)).totalCount).toBe(USERS);
    expect(federation.logs.join('\n')).toContain('the listing stopped on a service that is down');
  });
});
