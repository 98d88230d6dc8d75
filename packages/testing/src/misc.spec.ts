import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './misc.js';

const RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

describe('freePort', () => {
  it('hands out distinct, bindable ports, outside the range the kernel gives outgoing connections', async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    if (existsSync(RANGE_FILE)) {
      const [start, end] = readFileSync(RANGE_FILE, 'utf8').trim().split(/\s+/).map(Number);
      for (const port of ports) expect(port < start! || port > end!, `port ${port}`).toBe(true);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(ports[0], '127.0.0.1', resolve),
    );
    await new Promise((resolve) => server.close(resolve));
  });
});
