/**
 * `pnpm start` and the image's command: the three subgraphs and the gateway as child processes with
 * one set of embedded defaults, their output prefixed, all stopped on SIGINT/SIGTERM or when one dies.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFederation, type Federation } from './federation.js';
import { SERVICES, type Env, type ServiceName } from './wiring.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The embedded default: a secret generated once and kept in the data folder, so restarts agree. */
function internalSecret(dataDir: string): string {
  if (process.env.INTERNAL_SECRET) return process.env.INTERNAL_SECRET;
  const file = join(dataDir, 'internal-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** With an OTLP endpoint, each process starts OpenTelemetry before anything else and names itself. */
const traced = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
const tracingFlags = traced ? ['--import', join(root, 'packages/telemetry/dist/register.js')] : [];
const tracingEnv = (name: ServiceName): Env =>
  traced ? { OTEL_SERVICE_NAME: `${process.env.OTEL_SERVICE_NAME ?? 'uif'}-${name}` } : {};

const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));
const env: Env = {
  ...(Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== undefined)) as Env),
  DATA_DIR: dataDir,
  INTERNAL_SECRET: internalSecret(dataDir),
  // The children write into pipes: ask them for readable lines when a person is watching.
  ...(process.stdout.isTTY && !process.env.LOG_FORMAT ? { LOG_FORMAT: 'pretty' } : {}),
};
const width = Math.max(...SERVICES.map((name) => name.length));
const prefixed = (name: ServiceName) => (line: string, stream: 'stdout' | 'stderr') =>
  process[stream].write(`${name.padEnd(width)} | ${line}\n`);

let federation: Federation<ServiceName> | undefined;
let stopping: { code: number } | undefined;
const startUp = new AbortController();

function stopAll(code: number): void {
  if (stopping) return;
  stopping = { code };
  // Still starting: the start-up stops what it started, and the catch below exits.
  if (!federation) return startUp.abort(new Error('stopped during start-up'));
  federation.stop().then(
    () => process.exit(code),
    () => process.exit(1),
  );
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

try {
  federation = await startFederation({
    env,
    children: SERVICES,
    serviceEnv: Object.fromEntries(SERVICES.map((name) => [name, tracingEnv(name)])),
    spawn: (name) => ({ nodeArgs: [...tracingFlags, '--enable-source-maps'], output: prefixed(name) }),
    signal: startUp.signal,
  });
} catch (error) {
  if (!stopping)
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}; stopped the others\n`);
  process.exit(stopping?.code ?? 1);
}
for (const name of SERVICES) {
  federation[name].child.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`${name} exited (${signal ?? `code ${code}`}); stopping the others\n`);
    stopAll(1);
  });
}
