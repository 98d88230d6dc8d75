import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { localDatabasePid, watchProcessCpu } from './machine-cpu.js';

/**
 * A process (named with spaces and a parenthesis, as /proc shows commands) that says when it has
 * started, works for `ms` of CPU when told, says so, and idles.
 */
async function worker(ms: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `process.title = 'busy (worker) x';
       process.stdout.write('ready');
       process.stdin.once('data', () => {
         const end = process.cpuUsage().user + ${ms * 1000};
         while (process.cpuUsage().user < end);
         process.stdout.write('done');
       });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await once(child.stdout!, 'data');
  return child;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

describe('watchProcessCpu', () => {
  it.runIf(process.platform === 'linux')(
    'gives the CPU seconds each process used since the watch began, busiest first',
    async () => {
      const busy = await worker(400);
      const idle = await worker(0);
      children.push(busy, idle);
      const used = watchProcessCpu({ busy: busy.pid!, idle: idle.pid! });
      busy.stdin!.write('go');
      await once(busy.stdout!, 'data');
      const [first, second] = used();
      expect(first![0]).toBe('busy');
      expect(first![1]).toBeGreaterThanOrEqual(0.35);
      expect(second![0]).toBe('idle');
      expect(second![1]).toBeLessThan(0.05);
    },
  );

  it('counts this process with its own accounting and leaves out one that is gone', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    const used = watchProcessCpu({ bench: 'self', gone: gone.pid! });
    const end = process.cpuUsage().user + 200_000;
    while (process.cpuUsage().user < end);
    const seconds = used();
    expect(seconds.map(([name]) => name)).toEqual(['bench']);
    expect(seconds[0]![1]).toBeGreaterThanOrEqual(0.2);
  });
});

describe('localDatabasePid', () => {
  it('watches no process for a database on another machine', () => {
    expect(localDatabasePid('mysql://root@db.example:3306/directory')).toBeNull();
  });
});
