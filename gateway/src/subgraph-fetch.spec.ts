import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { subgraphFetch } from './subgraph-fetch.js';

/** A subgraph that closes the connection of its first request unanswered, then answers. */
async function subgraphDroppingFirstRequest() {
  let received = 0;
  const server: Server = createServer((req, res) => {
    received += 1;
    if (received === 1) return req.socket.destroy();
    res.setHeader('content-type', 'application/json');
    res.end('{"data":{"ok":true}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const post = (query: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
});

describe('subgraphFetch', () => {
  let subgraph: Awaited<ReturnType<typeof subgraphDroppingFirstRequest>>;
  afterEach(() => subgraph.close());

  it('sends a query again when the subgraph closed its connection unanswered', async () => {
    subgraph = await subgraphDroppingFirstRequest();
    const response = await subgraphFetch(subgraph.url, post('query Users__directory__0{users{totalCount}}'));
    expect(await response.json()).toEqual({ data: { ok: true } });
    expect(subgraph.received()).toBe(2);
  });

  it('never sends a mutation twice: it may have run', async () => {
    subgraph = await subgraphDroppingFirstRequest();
    await expect(
      subgraphFetch(subgraph.url, post('mutation Start__import__0{startImport{id}}')),
    ).rejects.toThrow();
    expect(subgraph.received()).toBe(1);
  });
});
