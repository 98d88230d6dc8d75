import { setTimeout as sleep } from 'node:timers/promises';
import {
  createLogger,
  DomainError,
  InternalCallError,
  streamInternal,
  type InternalCall,
} from '@uif/runtime';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendLines } from './lines.js';
import type { Router } from 'express';
import { startSubgraphServer, type RunningServer } from './server.js';

const secret = 'lines-test-secret-of-enough-length-1234567890';
const call: InternalCall = { service: 'lines-test', secret, body: {} };

/** Numbers from 1, a few milliseconds apart; `stopped` says when the reading was told to stop. */
function numbers(state: { stopped: boolean; produced: number }, count = Infinity, failAt?: number) {
  return (async function* () {
    try {
      for (let n = 1; n <= count; n += 1) {
        if (n === failAt)
          throw new DomainError('PROVIDER_ERROR', 'The provider answered HTTP 500', { status: 500 });
        await sleep(5);
        state.produced = n;
        yield { n };
      }
    } finally {
      state.stopped = true;
    }
  })();
}

/** A subgraph server whose internal routes are `routes`. */
function startLinesServer(routes: (router: Router) => void): Promise<RunningServer> {
  return startSubgraphServer({
    name: 'lines-test',
    port: 0,
    host: '127.0.0.1',
    schema: buildSchema('type Query { ok: Boolean }'),
    internalSecret: secret,
    log: createLogger({ name: 'lines-test', level: 'silent' }),
    context: (base) => base,
    readiness: async () => undefined,
    internalRoutes: routes,
  });
}

describe('internal answers in lines', () => {
  let server: RunningServer;
  const state = { stopped: false, produced: 0 };
  beforeAll(async () => {
    server = await startLinesServer((router) => {
      router.post('/three', (_req, res) => sendLines(res, numbers(state, 3)));
      router.post('/large', (_req, res) =>
        sendLines(
          res,
          (async function* () {
            for (const letter of ['a', 'b', 'c']) yield { text: letter.repeat(300_000) };
          })(),
        ),
      );
      router.post('/many-large', (_req, res) =>
        sendLines(
          res,
          (async function* () {
            for (let n = 0; n < 40; n += 1) yield { text: 'x'.repeat(200_000) };
          })(),
        ),
      );
      router.post('/endless', (_req, res) => sendLines(res, numbers(state)));
      router.post('/failing-third', (_req, res) => sendLines(res, numbers(state, 5, 3)));
      router.post('/failing-first', (_req, res) => sendLines(res, numbers(state, 5, 1)));
      router.post('/cut', async (_req, res) => {
        res.setHeader('content-type', 'application/x-ndjson');
        res.write('{"item":{"n":1}}\n');
        await sleep(10);
        res.socket?.destroy();
      });
    });
  });
  afterAll(() => server?.stop());

  const read = async (path: string) => {
    const items: unknown[] = [];
    for await (const item of streamInternal(server.url, `/internal${path}`, call)) items.push(item);
    return items;
  };

  it('delivers every item in order, and the answer ends', async () => {
    expect(await read('/three')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('puts together items that come in many pieces', async () => {
    const items = (await read('/large')) as { text: string }[];
    expect(items.map(({ text }) => [text.length, text[0], text.at(-1)])).toEqual([
      [300_000, 'a', 'a'],
      [300_000, 'b', 'b'],
      [300_000, 'c', 'c'],
    ]);
  });

  it('waits for a slow reader without piling up listeners on the answer', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      let count = 0;
      for await (const _item of streamInternal(server.url, '/internal/many-large', call)) {
        count += 1;
        await sleep(5);
      }
      expect(count).toBe(40);
      await sleep(10);
      expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('raises a domain error after the items before it, with its code and extensions', async () => {
    const items: unknown[] = [];
    const failure = await (async () => {
      try {
        for await (const item of streamInternal(server.url, '/internal/failing-third', call))
          items.push(item);
      } catch (error) {
        return error;
      }
    })();
    expect(items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'The provider answered HTTP 500',
      extensions: { status: 500 },
    });
  });

  it('answers a failure before the first item as any internal route does', async () => {
    await expect(read('/failing-first')).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
  });

  it('calls an answer cut short a failed call, not the end of the items', async () => {
    await expect(read('/cut')).rejects.toBeInstanceOf(InternalCallError);
  });

  it('stops the items on the other side when the reader stops early', async () => {
    Object.assign(state, { stopped: false, produced: 0 });
    for await (const item of streamInternal(server.url, '/internal/endless', call)) {
      expect(item).toEqual({ n: 1 });
      break;
    }
    await expect.poll(() => state.stopped, { timeout: 2_000 }).toBe(true);
    const produced = state.produced;
    await sleep(50);
    expect(state.produced).toBe(produced);
  });
});

describe('a server stopping while it answers in lines', () => {
  it('ends the answer at once, and the reader hears of a cut, not of the end', async () => {
    const state = { stopped: false, produced: 0 };
    const server = await startLinesServer((router) => {
      router.post('/endless', (_req, res) => sendLines(res, numbers(state)));
    });
    const reading = streamInternal(server.url, '/internal/endless', call);
    expect((await reading.next()).value).toEqual({ n: 1 });
    const started = performance.now();
    await server.stop();
    // Apollo's drain would otherwise wait 10 s for the answer to end.
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(
      (async () => {
        for await (const _item of reading);
      })(),
    ).rejects.toBeInstanceOf(InternalCallError);
    await expect.poll(() => state.stopped).toBe(true);
  });
});
