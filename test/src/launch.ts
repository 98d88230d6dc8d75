import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@uif/testing';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The production image's command (the Dockerfile's CMD): these tests start the system with exactly it. */
function imageCommand(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1];
  if (!cmd) throw new Error('The Dockerfile has no CMD in JSON form');
  return JSON.parse(cmd) as string[];
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  gatewayUrl: string;
}

/** Starts what `pnpm start` and the image start, on free ports and a data folder of its own (embedded databases unless `extraEnv` names others). */
export async function startLikePnpmStart(
  dataDir: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Started> {
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    CI: 'true',
    DATA_DIR: dataDir,
    PORT: String(ports[0]),
    DIRECTORY_PORT: String(ports[1]),
    CONNECTOR_PORT: String(ports[2]),
    IMPORT_PORT: String(ports[3]),
    ...extraEnv,
  };
  const [program, ...args] = imageCommand();
  if (program !== 'node') throw new Error(`The image's command runs ${program}, not node`);
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

export async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return new Promise((resolve) => started.child.once('exit', (code) => resolve(code)));
}
