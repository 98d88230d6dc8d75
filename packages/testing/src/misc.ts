import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A secret for one test run. */
export const testSecret = (): string => randomBytes(32).toString('base64url');

/** A unique id, e.g. for the organization a test creates. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomBytes(6).toString('hex')}`;

export function temporaryDirectory(prefix = 'uif-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Ports this process has handed out: each goes to one caller, even to calls made at once. */
const handedOut = new Set<number>();

/**
 * A port nobody listens on right now, for processes that need it before they start. It is drawn
 * from outside the kernel's ephemeral range: a port from inside it (what `listen(0)` hands out) can
 * be taken by any outgoing connection, or another service's `listen(0)`, before its process binds it.
 */
export async function freePort(): Promise<number> {
  const span = portsOutsideEphemeralRange();
  for (let attempt = 0; span && attempt < 50; attempt += 1) {
    const port = span[0] + randomInt(span[1] - span[0] + 1);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if ((await listenOnce(port)) !== null) return port;
  }
  // No span outside the kernel's range, or it is crowded: any port the kernel gives.
  const any = await listenOnce(0);
  if (any === null) throw new Error('no port is free on 127.0.0.1');
  return any;
}

/** A free port for each service of a federation of its own. */
export async function freePorts(): Promise<Record<'directory' | 'connector' | 'import' | 'gateway', number>> {
  const [directory, connector, imports, gateway] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  return { directory, connector, import: imports, gateway };
}

/** The larger span of ports from 10000 up that the kernel never hands out by itself (Linux tells its range). */
function portsOutsideEphemeralRange(): [number, number] | null {
  const [start = 32_768, end = 60_999] = ephemeralRange();
  const below: [number, number] = [10_000, start - 1];
  const above: [number, number] = [end + 1, 65_535];
  const larger = below[1] - below[0] >= above[1] - above[0] ? below : above;
  return larger[1] - larger[0] >= 100 ? larger : null;
}

function ephemeralRange(): number[] {
  try {
    return readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    return []; // not Linux: its default range is as good a guess as any
  }
}

/** Binds `port` (0: any) on loopback and lets it go again: the port it got, or null when taken. */
function listenOnce(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}
