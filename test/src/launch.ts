import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '@uif/testing';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The production image's command (the Dockerfile's CMD): these tests start the system with exactly it. */
export function imageCommand(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1];
  if (!cmd) throw new Error('The Dockerfile has no CMD in JSON form');
  return JSON.parse(cmd) as string[];
}

export interface Launched {
  child: ChildProcess;
  output: () => string;
}

export interface Started extends Launched {
  gatewayUrl: string;
  ports: { gateway: number; directory: number; connector: number; import: number };
}

/** Runs a `node …` command as the image would (from the repository's root) until it prints `readyText`. */
export async function launch(
  command: string[],
  env: NodeJS.ProcessEnv,
  readyText: string,
): Promise<Launched> {
  const [program, ...args] = command;
  if (program !== 'node') throw new Error(`${command.join(' ')} runs ${program}, not node`);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes(readyText)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${command.join(' ')} did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output };
}

/**
 * Starts what `pnpm start` and the image start, on free ports and a data folder of its own
 * (embedded databases unless `extraEnv` names others).
 */
export async function startLikePnpmStart(
  dataDir: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Started> {
  const ports = await freePorts();
  const env: NodeJS.ProcessEnv = {
    DATA_DIR: dataDir,
    PORT: String(ports.gateway),
    DIRECTORY_PORT: String(ports.directory),
    CONNECTOR_PORT: String(ports.connector),
    IMPORT_PORT: String(ports.import),
    ...extraEnv,
  };
  const launched = await launch(imageCommand(), env, 'gateway listening');
  return {
    ...launched,
    gatewayUrl: `http://localhost:${ports.gateway}`,
    ports,
  };
}

/** SIGTERM, and how the process ended. */
export async function stop(started: Launched): Promise<number | null> {
  started.child.kill('SIGTERM');
  return new Promise((resolve) => started.child.once('exit', (code) => resolve(code)));
}
