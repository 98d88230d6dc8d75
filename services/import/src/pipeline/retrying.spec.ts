import { createLogger, InternalCallError } from '@uif/runtime';
import { describe, expect, it } from 'vitest';
import { retrying } from './retrying.js';

const log = createLogger({ name: 'import', level: 'silent' });

/** A directory that is down for its first `downFor` calls. */
function flakyDirectory(downFor: number) {
  const directory = {
    calls: 0,
    async match(): Promise<string> {
      directory.calls += 1;
      if (directory.calls <= downFor) throw new InternalCallError(503, 'directory unavailable');
      return 'matched';
    },
  };
  return directory;
}

describe('calls retried while a service is down', () => {
  it('go through once the service is back, within the retry time', async () => {
    const directory = flakyDirectory(2);
    const client = retrying(directory, { retryMs: 10_000, log, context: {} });
    await expect(client.match()).resolves.toBe('matched');
    expect(directory.calls).toBe(3);
  });

  it('fail at once with a retry time of 0 seconds, instead of retrying for minutes', async () => {
    const directory = flakyDirectory(1);
    const client = retrying(directory, { retryMs: 0, log, context: {} });
    const started = Date.now();
    await expect(client.match()).rejects.toThrow('directory unavailable');
    expect(directory.calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
