import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A secret for one test run. */
export const testSecret = (): string => randomBytes(32).toString('base64url');

/** A unique id, e.g. for the organization a test creates. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomBytes(6).toString('hex')}`;

export function temporaryDirectory(prefix = 'uif-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A port nobody listens on right now, for processes that need it before they start. It is drawn
 * from outside the kernel's ephemeral range: a port from inside it (what `listen(0)` hands out) can
 * be taken by any outgoing connection, or another service's `listen(0)`, before its process binds it.
 */
export async function freePort(): Promise<number> {
  const [lowest, highest] = portsOutsideEphemeralRange();
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = lowest + randomInt(highest - lowest + 1);
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${lowest} and ${highest}`);
}

/** The larger span of ports from 10000 up that the kernel never hands out by itself (Linux tells its range). */
function portsOutsideEphemeralRange(): [number, number] {
  const [start = 32_768, end = 60_999] = ephemeralRange();
  const below: [number, number] = [10_000, start - 1];
  const above: [number, number] = [end + 1, 65_535];
  return below[1] - below[0] >= above[1] - above[0] ? below : above;
}

function ephemeralRange(): number[] {
  try {
    return readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    return []; // not Linux: its default range is as good a guess as any
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
