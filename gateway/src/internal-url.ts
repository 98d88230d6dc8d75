import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where this process reaches its own listening server: loopback when it listens on every interface. */
export function internalUrl(host: string, server: Server): string {
  const { port } = server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
