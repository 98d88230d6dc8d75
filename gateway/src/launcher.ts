/**
 * `pnpm start`: runs the three subgraphs and the gateway as child processes with one set of
 * embedded defaults, prefixes their output, and stops them all on SIGINT/SIGTERM or when one dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { linkedDefaults } from '@uif/runtime';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const apps = [
  { name: 'directory', entry: 'services/directory/dist/index.js' },
  { name: 'connector', entry: 'services/connector/dist/index.js' },
  { name: 'import', entry: 'services/import/dist/index.js' },
  { name: 'gateway', entry: 'gateway/dist/index.js' },
];

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

/** Every process listens on HOST: the gateway finds the subgraphs there, unless it means every interface. */
function subgraphHost(): string {
  const host = process.env.HOST;
  return !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));
const env = {
  ...linkedDefaults(process.env, subgraphHost()),
  ...process.env,
  DATA_DIR: dataDir,
  INTERNAL_SECRET: internalSecret(dataDir),
  // The children write into pipes: ask them for readable lines when a person is watching.
  ...(process.stdout.isTTY && !process.env.LOG_FORMAT ? { LOG_FORMAT: 'pretty' } : {}),
};
const width = Math.max(...apps.map((app) => app.name.length));
const children: ChildProcess[] = [];
let stopping = false;

function prefixLines(stream: NodeJS.ReadableStream, name: string, out: NodeJS.WritableStream): void {
  createInterface({ input: stream }).on('line', (line) => out.write(`${name.padEnd(width)} | ${line}\n`));
}

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const forced = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 10_000);
  forced.unref();
  Promise.all(
    children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)),
  )
    .then(() => process.exit(code))
    .catch(() => process.exit(1));
}

/** With an OTLP endpoint, each process starts OpenTelemetry before anything else and names itself. */
function tracing(app: string): { flags: string[]; env: Record<string, string> } {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return { flags: [], env: {} };
  return {
    flags: ['--import', join(root, 'packages/telemetry/dist/register.js')],
    env: { OTEL_SERVICE_NAME: `${process.env.OTEL_SERVICE_NAME ?? 'uif'}-${app}` },
  };
}

for (const app of apps) {
  const traced = tracing(app.name);
  const child = spawn(process.execPath, [...traced.flags, '--enable-source-maps', join(root, app.entry)], {
    cwd: root,
    env: { ...env, ...traced.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(child.stdout!, app.name, process.stdout);
  prefixLines(child.stderr!, app.name, process.stderr);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`${app.name} exited (${signal ?? `code ${code}`}); stopping the others\n`);
    stopAll(1);
  });
  children.push(child);
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));
