import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, IDENTITY_HEADER, parseConfig, signIdentity } from '@uif/runtime';
import type { RunningServer } from '@uif/subgraph';
import { testSecret, uniqueId } from '@uif/testing';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gatewayConfigSchema, startGateway, type RunningGateway } from '../app.js';
import {
  startDirectoryStandIn,
  startItemsSubgraph,
  startTicksSubgraph,
  TickSource,
  type TestApiKey,
} from '../testing/subscription-subgraphs.js';

const TICKS = `subscription Ticks($channel: String!) {
  ticks(channel: $channel) { id n item { id label } }
}`;

interface TicksData {
  ticks: { id: string; n: number; item: { id: string; label: string } | null };
}

type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** A client subscription whose results are collected, with its outcome. */
interface Collected {
  results: Result[];
  /** Settles when the server completes the subscription or it fails (the error, e.g. a CloseEvent). */
  ended: Promise<unknown>;
  unsubscribe(): void;
}

function collect(client: Client, query: string, variables: Record<string, unknown> = {}): Collected {
  const results: Result[] = [];
  let unsubscribe = () => {};
  const ended = new Promise<unknown>((resolve) => {
    unsubscribe = client.subscribe(
      { query, variables },
      { next: (result) => results.push(result), error: resolve, complete: () => resolve(undefined) },
    );
  });
  return { results, ended, unsubscribe: () => unsubscribe() };
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await sleep(10);
  }
}

/** The close code of a connection that the server refuses (or 0 if it was accepted). */
async function closeCodeOf(client: Client): Promise<number> {
  const outcome = await collect(client, TICKS, { channel: 'refused' }).ended;
  return (outcome as { code?: number } | undefined)?.code ?? 0;
}

describe('subscriptions through the gateway', () => {
  const secret = testSecret();
  const source = new TickSource();
  const acme: TestApiKey = { organizationId: uniqueId('acme'), apiKey: `uif_${testSecret()}` };
  const globex: TestApiKey = { organizationId: uniqueId('globex'), apiKey: `uif_${testSecret()}` };
  const servers: RunningServer[] = [];
  const clients: Client[] = [];
  let gateway: RunningGateway;
  let ticks: RunningServer;
  let items: RunningServer;

  /** A graphql-ws client of the gateway; `params` is its connection_init payload. */
  function gatewayClient(params: Record<string, string>): Client {
    const client = createClient({
      url: `${gateway.url.replace('http:', 'ws:')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: params,
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  }
  const clientOf = (key: TestApiKey) =>
    gatewayClient({ 'x-api-key': key.apiKey, 'x-org-id': key.organizationId });

  /** Waits until the ticks subgraph has the subscription open (events published before are lost). */
  const subscribed = (key: TestApiKey, channel: string, count = 1) =>
    eventually(
      () => source.openSubscriptions(key.organizationId, channel) === count,
      `${count} subscription(s) of ${key.organizationId} to ${channel} are open on the ticks subgraph`,
    );

  beforeAll(async () => {
    const log = createLogger({ name: 'gateway', level: 'silent' });
    const directory = await startDirectoryStandIn(secret, [acme, globex]);
    servers.push(directory);
    ticks = await startTicksSubgraph(secret, source);
    servers.push(ticks);
    items = await startItemsSubgraph(secret);
    servers.push(items);
    // The gateway knows three subgraphs by name: the test's stand in for them.
    gateway = await startGateway(
      parseConfig('gateway', gatewayConfigSchema, {
        PORT: '0',
        HOST: '127.0.0.1',
        INTERNAL_SECRET: secret,
        DIRECTORY_URL: directory.url,
        CONNECTOR_URL: ticks.url,
        IMPORT_URL: items.url,
        SUBGRAPH_WAIT_SECONDS: '5',
        LOG_LEVEL: 'silent',
      }),
      { log },
    );
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('delivers every event with the fields other subgraphs own, resolved as the caller', async () => {
    const channel = uniqueId('channel');
    const subscription = collect(clientOf(acme), TICKS, { channel });
    await subscribed(acme, channel);

    source.tick(acme.organizationId, channel, { id: 't1', n: 1, itemId: 'i1' });
    source.tick(acme.organizationId, channel, { id: 't2', n: 2, itemId: 'i2' });
    await eventually(() => subscription.results.length === 2, 'two events arrived');

    const label = (item: string) => `${item} of ${acme.organizationId}`;
    expect(subscription.results).toEqual([
      { data: { ticks: { id: 't1', n: 1, item: { id: 'i1', label: label('i1') } } } },
      { data: { ticks: { id: 't2', n: 2, item: { id: 'i2', label: label('i2') } } } },
    ]);
  });

  it('keeps aliases and fragments across subgraphs', async () => {
    const channel = uniqueId('channel');
    const subscription = collect(
      clientOf(acme),
      `subscription ($channel: String!) {
        tick: ticks(channel: $channel) { ...counted thing: item { name: label } }
      }
      fragment counted on Tick { count: n }`,
      { channel },
    );
    await subscribed(acme, channel);
    source.tick(acme.organizationId, channel, { id: 't1', n: 7, itemId: 'i9' });
    await eventually(() => subscription.results.length === 1, 'the event arrived');
    expect(subscription.results[0]).toEqual({
      data: { tick: { count: 7, thing: { name: `i9 of ${acme.organizationId}` } } },
    });
  });

  it("never delivers another organization's events", async () => {
    const channel = uniqueId('shared');
    const acmeTicks = collect(clientOf(acme), TICKS, { channel });
    const globexTicks = collect(clientOf(globex), TICKS, { channel });
    await subscribed(acme, channel);
    await subscribed(globex, channel);

    source.tick(acme.organizationId, channel, { id: 'a1', n: 1, itemId: 'i1' });
    source.tick(globex.organizationId, channel, { id: 'g1', n: 1, itemId: 'i1' });
    source.tick(acme.organizationId, channel, { id: 'a2', n: 2, itemId: 'i2' });
    await eventually(() => acmeTicks.results.length === 2, 'acme has its two events');
    await eventually(() => globexTicks.results.length === 1, 'globex has its event');
    // Nothing more arrives late.
    await sleep(100);

    const ids = (results: Result[]) => results.map((r) => (r.data as unknown as TicksData).ticks.id);
    expect(ids(acmeTicks.results)).toEqual(['a1', 'a2']);
    expect(ids(globexTicks.results)).toEqual(['g1']);
    expect((globexTicks.results[0]?.data as unknown as TicksData).ticks.item).toEqual({
      id: 'i1',
      label: `i1 of ${globex.organizationId}`,
    });
  });

  it('refuses a connection without a key, with a wrong key or with a key of another organization', async () => {
    expect(await closeCodeOf(gatewayClient({}))).toBe(4403);
    expect(
      await closeCodeOf(gatewayClient({ 'x-api-key': 'uif_wrong', 'x-org-id': acme.organizationId })),
    ).toBe(4403);
    expect(
      await closeCodeOf(gatewayClient({ 'x-api-key': acme.apiKey, 'x-org-id': globex.organizationId })),
    ).toBe(4403);
  });

  it("completes the subgraph's subscription as soon as the client completes", async () => {
    // Another subscription keeps both sockets (client → gateway → subgraph) open: only the
    // completion of the one subscription can end it on the subgraph.
    const client = clientOf(acme);
    const [channel, other] = [uniqueId('channel'), uniqueId('other')];
    const subscription = collect(client, TICKS, { channel });
    const kept = collect(client, TICKS, { channel: other });
    await subscribed(acme, channel);
    await subscribed(acme, other);

    subscription.unsubscribe();
    await subscribed(acme, channel, 0);
    expect(source.openSubscriptions(acme.organizationId, other)).toBe(1);

    // Published after the subscription returned: reaches nobody, and the other one goes on.
    source.tick(acme.organizationId, channel, { id: 'late', n: 1, itemId: 'i1' });
    source.tick(acme.organizationId, other, { id: 'kept', n: 1, itemId: 'i1' });
    await eventually(() => kept.results.length === 1, 'the other subscription had its event');
    expect(subscription.results).toEqual([]);
  });

  it("completes the subgraph's subscriptions when the client disconnects", async () => {
    const channel = uniqueId('channel');
    const client = clientOf(acme);
    collect(client, TICKS, { channel });
    collect(client, TICKS, { channel });
    await subscribed(acme, channel, 2);

    await client.dispose();
    await subscribed(acme, channel, 0);
  });

  it('answers mistakes with GraphQL errors and keeps the connection', async () => {
    let closed = 0;
    const client = clientOf(acme);
    client.on('closed', () => (closed += 1));
    const channel = uniqueId('channel');
    const good = collect(client, TICKS, { channel });
    await subscribed(acme, channel);

    const outcomes = await Promise.all(
      [
        ['subscription { ticks(channel: 1) { id } }', {}],
        ['subscription { nope }', {}],
        ['subscription ($c: String!) { ticks(channel: $c) { id } }', {}],
        ['subscription {', {}],
        ['{ tickChannels }', {}],
      ].map(
        ([query, variables]) => collect(client, query as string, variables as Record<string, unknown>).ended,
      ),
    );
    const codes = outcomes.map(
      (errors) => (errors as { extensions?: { code?: string } }[])[0]?.extensions?.code,
    );
    expect(codes).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_USER_INPUT',
      'GRAPHQL_PARSE_FAILED',
      'BAD_REQUEST',
    ]);

    // The first subscription still runs on the same socket.
    source.tick(acme.organizationId, channel, { id: 't1', n: 1, itemId: 'i1' });
    await eventually(() => good.results.length === 1, 'the event arrived');
    expect(closed).toBe(0);
  });

  it('reports a failing field of another subgraph in that event, and goes on', async () => {
    const channel = uniqueId('channel');
    const subscription = collect(clientOf(acme), TICKS, { channel });
    await subscribed(acme, channel);

    source.tick(acme.organizationId, channel, { id: 't1', n: 1, itemId: 'missing' });
    source.tick(acme.organizationId, channel, { id: 't2', n: 2, itemId: 'i2' });
    await eventually(() => subscription.results.length === 2, 'two events arrived');

    const [failed, next] = subscription.results;
    expect(failed?.data).toEqual({ ticks: { id: 't1', n: 1, item: null } });
    expect(failed?.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Item missing was not found', 'NOT_FOUND'],
    ]);
    expect(next?.data).toEqual({
      ticks: { id: 't2', n: 2, item: { id: 'i2', label: `i2 of ${acme.organizationId}` } },
    });
  });

  it('reports an event the subgraph failed to resolve, and goes on', async () => {
    const channel = uniqueId('channel');
    const subscription = collect(clientOf(acme), TICKS, { channel });
    await subscribed(acme, channel);

    source.tick(acme.organizationId, channel, { id: 't0', n: -1, itemId: 'i1' });
    source.tick(acme.organizationId, channel, { id: 't1', n: 1, itemId: 'i1' });
    await eventually(() => subscription.results.length === 2, 'two events arrived');

    const [failed, next] = subscription.results;
    expect(failed?.data ?? null).toBeNull();
    expect(failed?.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['A tick cannot count -1', 'BAD_USER_INPUT'],
    ]);
    expect(next?.data).toEqual({
      ticks: { id: 't1', n: 1, item: { id: 'i1', label: `i1 of ${acme.organizationId}` } },
    });
  });

  describe('a subgraph', () => {
    /** A graphql-ws client straight to the ticks subgraph, with `params` as connection_init payload. */
    function subgraphClient(server: RunningServer, params: Record<string, string>): Client {
      const client = createClient({
        url: `${server.url.replace('http:', 'ws:')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: params,
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    }
    const identity = {
      kind: 'member' as const,
      organizationId: acme.organizationId,
      actor: 'k',
      apiKeyId: 'k',
    };

    it('refuses a connection without the gateway signature', async () => {
      expect(await closeCodeOf(subgraphClient(ticks, {}))).toBe(4403);
      const forged = signIdentity(identity, testSecret());
      expect(await closeCodeOf(subgraphClient(ticks, { [IDENTITY_HEADER]: forged }))).toBe(4403);
      const expired = signIdentity(identity, secret, -1);
      expect(await closeCodeOf(subgraphClient(ticks, { [IDENTITY_HEADER]: expired }))).toBe(4403);
    });

    it('closes its subscription sockets when it stops', async () => {
      const tickSource = new TickSource();
      const server = await startTicksSubgraph(secret, tickSource);
      const client = subgraphClient(server, { [IDENTITY_HEADER]: signIdentity(identity, secret) });
      const channel = uniqueId('channel');
      const subscription = collect(client, TICKS.replace(' item { id label }', ''), { channel });
      await eventually(
        () => tickSource.openSubscriptions(acme.organizationId, channel) === 1,
        'the subscription is open',
      );

      const started = Date.now();
      await server.stop();
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(tickSource.openSubscriptions(acme.organizationId, channel)).toBe(0);
      expect(((await subscription.ended) as { code?: number }).code).toBe(1001);
    });
  });

  // Last, because they stop the test's subgraphs.
  describe('when a subgraph goes away', () => {
    it('reports a subgraph that does not answer as an error in each event, and goes on', async () => {
      const channel = uniqueId('channel');
      const subscription = collect(clientOf(acme), TICKS, { channel });
      await subscribed(acme, channel);
      await items.stop();

      source.tick(acme.organizationId, channel, { id: 't1', n: 1, itemId: 'i1' });
      source.tick(acme.organizationId, channel, { id: 't2', n: 2, itemId: null });
      await eventually(() => subscription.results.length === 2, 'two events arrived');

      const [failed, next] = subscription.results;
      expect(failed?.data).toEqual({ ticks: { id: 't1', n: 1, item: null } });
      expect(failed?.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
        ['Internal server error', 'INTERNAL_SERVER_ERROR'],
      ]);
      expect(next).toEqual({ data: { ticks: { id: 't2', n: 2, item: null } } });
    });

    it('ends the subscriptions on it with an error', async () => {
      const channel = uniqueId('channel');
      const subscription = collect(clientOf(acme), TICKS, { channel });
      await subscribed(acme, channel);
      await ticks.stop();

      const ended = (await subscription.ended) as unknown;
      expect(ended).toBeUndefined();
      expect(subscription.results).toEqual([
        { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
      ]);
    });
  });
});
