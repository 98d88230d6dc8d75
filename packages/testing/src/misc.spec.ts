import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './misc.js';

describe('freePort', () => {
  it('hands out bindable ports outside the range the kernel gives outgoing connections', async () => {
    const [start, end] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) expect(port < start! || port > end!, `port ${port}`).toBe(true);
    const server = createServer();
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(ports[0], '127.0.0.1', resolve),
    );
    await new Promise((resolve) => server.close(resolve));
  });
});
