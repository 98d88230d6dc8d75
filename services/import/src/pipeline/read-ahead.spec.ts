import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead.js';

async function* counted(upTo: number, pulled: number[], failAt?: number): AsyncGenerator<number> {
  for (let i = 0; i < upTo; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (i === failAt) throw new Error(`failed at ${i}`);
    pulled.push(i);
    yield i;
  }
}

describe('readAhead', () => {
  it('gives every item in order while reading up to the limit ahead of the consumer', async () => {
    const pulled: number[] = [];
    const seen: number[] = [];
    for await (const item of readAhead(counted(10, pulled), 3)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The three items after this one were read while the consumer worked on it, and no more.
      expect(pulled.length).toBe(Math.min(10, item + 4));
      seen.push(item);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads the next item while the consumer works, with a limit of one', async () => {
    const pulled: number[] = [];
    for await (const item of readAhead(counted(5, pulled), 1)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pulled.length).toBe(Math.min(5, item + 2));
    }
  });

  it('gives the items before a failure, then the failure', async () => {
    const seen: number[] = [];
    await expect(async () => {
      for await (const item of readAhead(counted(10, [], 4), 3)) seen.push(item);
    }).rejects.toThrow('failed at 4');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('stops reading the source when the consumer stops', async () => {
    const pulled: number[] = [];
    for await (const item of readAhead(counted(100, pulled), 2)) if (item === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled.length).toBeLessThanOrEqual(4);
  });
});
