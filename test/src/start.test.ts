import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataOf, freePort, gatewayClient, temporaryDirectory } from '@uif/testing';
import { afterEach, describe, expect, it } from 'vitest';

const launcher = fileURLToPath(new URL('../../gateway/dist/launcher.js', import.meta.url));

interface Started {
  child: ChildProcess;
  output: () => string;
  gatewayUrl: string;
}

/** Starts what `pnpm start` starts, on free ports and a data folder of its own, without MySQL or Redis. */
async function startLikePnpmStart(dataDir: string): Promise<Started> {
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    CI: 'true',
    DATA_DIR: dataDir,
    PORT: String(ports[0]),
    DIRECTORY_PORT: String(ports[1]),
    CONNECTOR_PORT: String(ports[2]),
    IMPORT_PORT: String(ports[3]),
  };
  const child = spawn(process.execPath, [launcher], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('gateway listening')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`pnpm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output, gatewayUrl: `http://localhost:${ports[0]}` };
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return new Promise((resolve) => started.child.once('exit', (code) => resolve(code)));
}

describe('pnpm start', () => {
  const running: Started[] = [];
  afterEach(() => {
    for (const started of running.splice(0)) started.child.kill('SIGKILL');
  });

  it('serves the gateway on an embedded database, prints a key once, and stops cleanly', async () => {
    const dataDir = temporaryDirectory();
    const first = await startLikePnpmStart(dataDir);
    running.push(first);
    const organizationId = /x-org-id: +(\S+)/.exec(first.output())?.[1];
    const apiKey = /x-api-key: +(\S+)/.exec(first.output())?.[1];
    expect(organizationId).toBe('default');
    expect(apiKey).toMatch(/^uif_/);

    const query = gatewayClient(first.gatewayUrl, apiKey!, organizationId!);
    expect(dataOf(await query('{ organization { id name } }'))).toEqual({
      organization: { id: 'default', name: 'Default organization' },
    });
    expect(existsSync(join(dataDir, 'directory.sqlite'))).toBe(true);
    // The admin console, at /.
    const consolePage = await fetch(`${first.gatewayUrl}/`);
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await consolePage.text()).toContain('<title>User import · Admin console</title>');
    expect(await stop(first)).toBe(0);

    const second = await startLikePnpmStart(dataDir);
    running.push(second);
    expect(second.output()).not.toMatch(/x-api-key/);
    const again = gatewayClient(second.gatewayUrl, apiKey!, organizationId!);
    expect(dataOf(await again('{ organization { id } }'))).toEqual({ organization: { id: 'default' } });
    expect(await stop(second)).toBe(0);
  });
});
