import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
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

/** A port nobody listens on right now (for processes that need it before they start). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
