import { randomBytes } from 'node:crypto';
import { capturedLogger } from '@uif/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { BullmqQueue } from './bullmq-queue.js';
import { InProcessQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const { log } = capturedLogger('queue-test');

const adapters: [string, () => JobQueue][] = [
  ['in process', () => new InProcessQueue(2, log)],
  ['BullMQ on Redis', () => new BullmqQueue(REDIS_URL, 2, log, `uif-test-${randomBytes(4).toString('hex')}`)],
];

describe.each(adapters)('the job queue (%s)', (_, makeQueue) => {
  it('runs every job once, at most two at a time, and waits for running jobs on close', async () => {
    const queue = makeQueue();
    const ran: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const allDone = new Promise<void>((resolve) => {
      queue.consume(async (jobId) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((r) => setTimeout(r, 50));
        ran.push(jobId);
        running -= 1;
        if (ran.length === 5) resolve();
      });
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await queue.enqueue(id);
    await queue.enqueue('e');
    await allDone;
    await queue.close();
    expect([...ran].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(mostAtOnce).toBe(2);
  });
});

describe('the BullMQ queue on close', () => {
  it('leaves no connection of its own open in Redis once closed', async () => {
    const name = `uif-test-${randomBytes(4).toString('hex')}`;
    const queue = new BullmqQueue(REDIS_URL, 2, log, name);
    queue.consume(async () => undefined);
    await queue.enqueue('a');
    const redis = new Redis(REDIS_URL);
    const ours = async () =>
      String(await redis.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes(`name=uif:${name}`));
    const until = async (holds: (open: string[]) => boolean) => {
      for (const deadline = Date.now() + 5_000; !holds(await ours()) && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 50));
      return ours();
    };
    try {
      // At least the queue's connection and the one it gave its worker.
      expect((await until((open) => open.length >= 2)).length).toBeGreaterThanOrEqual(2);
      await queue.close();
      expect(await until((open) => open.length === 0)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
