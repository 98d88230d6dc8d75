import type { ExecutionResult } from 'graphql';
import type { Sink } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { EventStream } from './event-stream.js';
import type { UpstreamEvent } from './upstream.js';

/** An EventStream over a hand-driven upstream; `resolve` may be held to look at in-flight events. */
function streamOf(
  options: { maxBufferedEvents?: number; resolve?: (event: UpstreamEvent) => Promise<ExecutionResult> } = {},
) {
  let sink: Sink<UpstreamEvent> | undefined;
  let unsubscribed = 0;
  const stream = new EventStream({
    open: (upstreamSink) => {
      sink = upstreamSink;
      return () => (unsubscribed += 1);
    },
    resolve: options.resolve ?? (async (event) => ({ data: { resolved: event.data ?? null } })),
    maxBufferedEvents: options.maxBufferedEvents ?? 10,
  });
  return { stream, upstream: sink!, unsubscribed: () => unsubscribed };
}

const event = (n: number): UpstreamEvent => ({ data: { n } });

describe('EventStream', () => {
  it('resolves events in the order the subgraph sent them, then ends when it completes', async () => {
    const { stream, upstream, unsubscribed } = streamOf();
    upstream.next(event(1));
    upstream.next(event(2));
    upstream.complete();
    const results: unknown[] = [];
    for await (const result of stream) results.push(result);
    expect(results).toEqual([{ data: { resolved: { n: 1 } } }, { data: { resolved: { n: 2 } } }]);
    // It completed upstream by itself: nothing to unsubscribe.
    expect(unsubscribed()).toBe(0);
  });

  it('completes upstream at once when returned while waiting for an event', async () => {
    const { stream, unsubscribed } = streamOf();
    const pending = stream.next();
    await stream.return();
    expect(unsubscribed()).toBe(1);
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await stream.return();
    expect(unsubscribed()).toBe(1);
  });

  it('sends nothing for an event still being resolved when returned', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { stream, upstream, unsubscribed } = streamOf({
      resolve: async () => {
        await held;
        return { data: {} };
      },
    });
    upstream.next(event(1));
    const pending = stream.next();
    await stream.return();
    expect(unsubscribed()).toBe(1);
    release();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });

  it('ends with the errors of a failed upstream', async () => {
    const { stream, upstream } = streamOf();
    upstream.next(event(1));
    upstream.error([{ message: 'Refused', extensions: { code: 'UNAUTHENTICATED' } }]);
    const first = await stream.next();
    const last = await stream.next();
    expect(first).toEqual({ done: false, value: { data: { resolved: { n: 1 } } } });
    expect(last.done).toBe(false);
    expect(last.value?.errors?.map((e) => [e.message, e.extensions.code])).toEqual([
      ['Refused', 'UNAUTHENTICATED'],
    ]);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('names the close code when the subgraph socket closes', async () => {
    const { stream, upstream } = streamOf();
    upstream.error({ code: 1001, reason: 'Going away' });
    const { value } = await stream.next();
    expect(value?.errors?.[0]?.message).toBe('The subgraph connection closed (1001 Going away)');
  });

  it('ends a subscription whose reader falls too far behind, and completes it upstream', async () => {
    const { stream, upstream, unsubscribed } = streamOf({ maxBufferedEvents: 3 });
    for (let n = 1; n <= 4; n += 1) upstream.next(event(n));
    expect(unsubscribed()).toBe(1);
    const { value } = await stream.next();
    expect(value?.errors?.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });
});
