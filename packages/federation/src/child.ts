import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { entry as connectorEntry } from '@uif/connector/entry';
import { entry as directoryEntry } from '@uif/directory/entry';
import { entry as gatewayEntry } from '@uif/gateway/entry';
import { DEFAULT_IMPORT_CONCURRENCY, entry as importEntry } from '@uif/import/entry';
import { serviceUrl, type Env, type ServiceName } from './wiring.js';

const entries: Record<ServiceName, string> = {
  directory: directoryEntry,
  connector: connectorEntry,
  import: importEntry,
  gateway: gatewayEntry,
};

/**
 * A child's output: each line to a function, inherited as it is, or `quiet`: dropped, but for the
 * end of its stderr, kept for the error should it not start.
 */
export type ChildOutput = 'quiet' | 'inherit' | ((line: string, stream: 'stdout' | 'stderr') => void);

export interface SpawnOptions {
  /** Node flags before the program: a profiler, OpenTelemetry's preload. */
  nodeArgs?: readonly string[];
  output?: ChildOutput;
  /** How long to wait for its /readyz; unset, as long as it runs (a production start-up may migrate a while). */
  readyTimeoutMs?: number;
  /** Gives up waiting, and stops the child, when aborted. */
  signal?: AbortSignal;
}

export interface ChildService {
  url: string;
  child: ChildProcess;
  /** SIGTERM, SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** What the import service keeps alive per job it runs at once (a batch of users on its way), and beside. */
const IMPORT_HEAP_MB = { base: 128, perJob: 64 };

/**
 * Node flags a service runs with. The import service gets a heap limit that fits the jobs it runs
 * at once: without one, V8 let its heap grow with the users read (353 MB RSS at 100,000 users)
 * though little of it lived; with 256 MB it peaked at 198 MB (182 MB at 20,000 users), as fast.
 */
export function serviceNodeArgs(name: ServiceName, env: Env): string[] {
  if (name !== 'import') return [];
  const jobsAtOnce =
    Number(env.IMPORT_CONCURRENCY ?? DEFAULT_IMPORT_CONCURRENCY) || DEFAULT_IMPORT_CONCURRENCY;
  return [`--max-old-space-size=${IMPORT_HEAP_MB.base + IMPORT_HEAP_MB.perJob * jobsAtOnce}`];
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(forced);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Runs a service as its own process with exactly `env` (nothing inherited) and resolves once it
 * answers /readyz on the port `env` gives it; rejects, with the end of its stderr, if it exits first.
 */
export async function spawnService(
  name: ServiceName,
  env: Env,
  { nodeArgs = [], output = 'quiet', readyTimeoutMs, signal }: SpawnOptions = {},
): Promise<ChildService> {
  // The caller's flags come last: theirs win over the service's own.
  const child = spawn(process.execPath, [...serviceNodeArgs(name, env), ...nodeArgs, entries[name]], {
    env,
    stdio:
      output === 'inherit'
        ? ['ignore', 'inherit', 'inherit']
        : ['ignore', output === 'quiet' ? 'ignore' : 'pipe', 'pipe'],
  });
  let stderrTail = '';
  if (typeof output === 'function') {
    createInterface({ input: child.stdout! }).on('line', (line) => output(line, 'stdout'));
    createInterface({ input: child.stderr! }).on('line', (line) => output(line, 'stderr'));
  } else if (output === 'quiet') {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-8000);
    });
  }
  const service: ChildService = { url: serviceUrl(name, env), child, stop: () => stopChild(child) };
  const deadline = Date.now() + (readyTimeoutMs ?? Infinity);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `${name} exited (${child.signalCode ?? `code ${child.exitCode}`}) during start-up\n${stderrTail}`,
      );
    if (signal?.aborted || Date.now() > deadline) {
      await service.stop();
      throw signal?.aborted ? signal.reason : new Error(`${name} was not ready within ${readyTimeoutMs} ms`);
    }
    const ready = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(
      () => null,
    );
    if (ready?.ok) return service;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
