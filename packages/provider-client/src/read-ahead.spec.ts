import { describe, expect, it } from 'vitest';
import { readAhead } from './pages.js';

describe('readAhead', () => {
  it('starts the next item while the caller works on the current one, and keeps the order', async () => {
    const started: number[] = [];
    async function* source() {
      for (let i = 1; i <= 3; i += 1) {
        started.push(i);
        yield i;
      }
    }
    const seen: [number, number[]][] = [];
    for await (const item of readAhead(source())) seen.push([item, [...started]]);
    expect(seen).toEqual([
      [1, [1, 2]],
      [2, [1, 2, 3]],
      [3, [1, 2, 3]],
    ]);
  });

  it('stops the source when the caller stops, without an unhandled failure of the item read ahead', async () => {
    let closed = false;
    async function* source() {
      try {
        yield 1;
        throw new Error('the provider broke after the first page');
      } finally {
        closed = true;
      }
    }
    for await (const item of readAhead(source())) {
      expect(item).toBe(1);
      break;
    }
    expect(closed).toBe(true);
  });
});

describe('readAhead and failures', () => {
  it('raises a failure of the item read ahead when it is asked for, not before', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      async function* source() {
        yield 1;
        throw new Error('page 2 failed');
      }
      const iterator = readAhead(source());
      expect((await iterator.next()).value).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(iterator.next()).rejects.toThrow('page 2 failed');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
