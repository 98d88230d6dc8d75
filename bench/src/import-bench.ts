/**
 * `pnpm bench`: imports BENCH_USERS (100,000) users from a loopback provider (pages of 100) into
 * MySQL, each subgraph in a process of its own: Personio-shaped users with nine fields mapped, or
 * with BENCH_SHAPE=flat our flat HR provider's (see workloads.ts). It compares the time with a
 * floor measured in the same run: the same users bulk-inserted straight into the directory's users
 * table with multi-row INSERTs (the median of three rounds), and beside it the same with each user's
 * link and creation event, which a first import must store too. Prints users/s, the ratios, how
 * many cores the machine kept busy meanwhile and which processes used them, and the import
 * process's peak RSS.
 * BENCH_PAGE_DELAY_MS makes the provider take that long to answer each page, as a real one does.
 * Then four connectors of BENCH_SCALE_USERS (25,000) users each are imported at once through BullMQ,
 * with one worker process and then two, and both times printed.
 * Needs MySQL at TEST_MYSQL_URL (default root@127.0.0.1:3306) and Redis at TEST_REDIS_URL.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { ApiKeyService, openDirectoryDatabase } from '@uif/directory';
import { spawnService, startFederation, type Env, type SpawnOptions } from '@uif/federation';
import type { Identity } from '@uif/runtime';
import {
  createTestDatabase,
  createActiveConnector,
  dataOf,
  freePort,
  freePorts,
  signedSubgraphClient,
  startHrProvider,
  temporaryDirectory,
  testSecret,
} from '@uif/testing';
import { FLOOR_ROUNDS, measureFloors } from './floor.js';
import { localDatabasePid, watchPhase, type PhaseCpu } from './machine-cpu.js';
import { WORKLOADS, type WorkloadName } from './workloads.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 100);
const SCALE_USERS = Number(process.env.BENCH_SCALE_USERS ?? 25_000);
/** How long the provider takes to answer each page: none here, tens to hundreds of ms for a real HR API. */
const PAGE_DELAY_MS = Number(process.env.BENCH_PAGE_DELAY_MS ?? 0);
/**
 * How often a job is asked after: its end is seen up to this much late (half of it on average), so
 * short enough to be a small share of a few seconds' import.
 */
const POLL_MS = 50;
const nodeArgs = (value: string | undefined) => (value ?? '').split(' ').filter(Boolean);
/** e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: profiles each import process. */
const importNodeArgs = nodeArgs(process.env.BENCH_IMPORT_NODE_ARGS);
/** The same for the directory and connector processes. */
const serviceNodeArgs = nodeArgs(process.env.BENCH_SERVICE_NODE_ARGS);

const SHAPE = (process.env.BENCH_SHAPE ?? 'personio') as WorkloadName;
if (!(SHAPE in WORKLOADS)) throw new Error(`BENCH_SHAPE must be one of ${Object.keys(WORKLOADS).join(', ')}`);
const workload = WORKLOADS[SHAPE](USERS);

/** Peak resident memory of a process, from Linux's accounting (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function main(): Promise<void> {
  const secret = testSecret();
  const [database, floorDatabase] = await Promise.all([
    createTestDatabase('uif_bench'),
    createTestDatabase('uif_bench_floor'),
  ]);
  const cleanups: (() => Promise<unknown>)[] = [() => database.drop(), () => floorDatabase.drop()];
  try {
    process.stdout.write(`Floor: bulk-inserting ${USERS} users, ${FLOOR_ROUNDS} times…\n`);
    const floors = await measureFloors(floorDatabase.url, workload, USERS);
    // Its rows would otherwise hold MariaDB's buffer pool, and their flushing its disk, during the imports.
    await floorDatabase.drop();
    const floorMs = floors.usersMs;

    const hr = await startHrProvider({ users: workload.users, ...workload.provider });
    hr.delayPages(PAGE_DELAY_MS);
    cleanups.unshift(() => hr.close());
    // Each subgraph in a process of its own, as `pnpm start` runs them; the provider stays in this
    // one. No gateway: the bench calls the import subgraph.
    const importSpawn: SpawnOptions = { nodeArgs: importNodeArgs, output: 'inherit', readyTimeoutMs: 30_000 };
    const serviceSpawn: SpawnOptions = {
      nodeArgs: serviceNodeArgs,
      output: 'inherit',
      readyTimeoutMs: 30_000,
    };
    const federation = await startFederation({
      env: {
        INTERNAL_SECRET: secret,
        DATABASE_URL: database.url,
        DATA_DIR: temporaryDirectory(),
        LOG_LEVEL: 'warn',
      },
      ports: await freePorts(),
      serviceEnv: {
        connector: { ALLOW_PRIVATE_NETWORK_TARGETS: 'true' },
        import: {
          PATH: process.env.PATH ?? '',
          CI: 'true',
          LOG_LEVEL: process.env.BENCH_IMPORT_LOG_LEVEL ?? 'warn',
          ...(process.env.IMPORT_BATCH_SIZE ? { IMPORT_BATCH_SIZE: process.env.IMPORT_BATCH_SIZE } : {}),
        },
      },
      children: ['directory', 'connector', 'import'],
      skip: ['gateway'],
      spawn: (name) => (name === 'import' ? importSpawn : serviceSpawn),
    });
    cleanups.unshift(() => federation.stop());
    const { connector, import: imports } = federation;
    const directoryDatabase = await openDirectoryDatabase({
      databaseUrl: database.url,
      dataDir: temporaryDirectory(),
    });
    cleanups.unshift(() => directoryDatabase.destroy());
    /** The processes whose CPU each phase reports: the services, the database, and this one's provider. */
    const watched: Record<string, number | 'self'> = {
      import: imports.child.pid!,
      connector: connector.child.pid!,
      directory: federation.directory.child.pid!,
      provider: 'self',
    };
    const databasePid = localDatabasePid(database.url);
    if (databasePid !== null) watched.database = databasePid;
    /** Another import process on the same settings but `extra`, on a port of its own. */
    const spawnImport = async (extra: Env) => {
      const env = { ...federation.env.import, ...extra, IMPORT_PORT: String(await freePort()) };
      const spawned = await spawnService('import', env, importSpawn);
      cleanups.unshift(() => spawned.stop());
      return spawned;
    };

    /** An organization with an active connector on `provider` and no schedule (no tick may join in). */
    const prepare = async (organizationId: string, providerUrl: string) => {
      await new ApiKeyService(directoryDatabase).create(organizationId, 'bench');
      const identity: Identity = { kind: 'member', organizationId, actor: 'bench', apiKeyId: 'bench' };
      const connectorId = await createActiveConnector(
        signedSubgraphClient(connector.url, identity, secret),
        providerUrl,
        PAGE_SIZE,
        workload.listUsers ? { listUsers: workload.listUsers(PAGE_SIZE) } : {},
        workload.mapping,
      );
      return { identity, connectorId };
    };
    const importAndWait = async (
      importUrl: string,
      { identity, connectorId }: Awaited<ReturnType<typeof prepare>>,
    ) => {
      const importer = signedSubgraphClient(importUrl, identity, secret);
      dataOf(
        await importer('mutation ($id: ID!) { deleteImportSchedule(connectorId: $id) }', { id: connectorId }),
      );
      const started = performance.now();
      // The machine's busy cores and each process's CPU while the job reads, then while it applies.
      let phase = watchPhase(watched);
      let reading: PhaseCpu | null = null;
      const { startImport } = dataOf(
        await importer<{ startImport: { id: string } }>(
          'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
          {
            input: { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] },
          },
        ),
      );
      // When the job was first seen applying: the split between reading and writing (±POLL_MS).
      let applyingAt: number | null = null;
      for (;;) {
        const { importJob } = dataOf(
          await importer<{
            importJob: {
              status: string;
              counts: Record<string, number>;
              error: string | null;
              progress: { phase: string };
            };
          }>(
            'query ($id: ID!) { importJob(id: $id) { status error counts { fetched created unchanged failed } progress { phase } } }',
            { id: startImport.id },
          ),
        );
        if (
          importJob.progress.phase !== 'QUEUED' &&
          importJob.progress.phase !== 'FETCHING' &&
          applyingAt === null
        ) {
          applyingAt = performance.now();
          reading = phase();
          phase = watchPhase(watched);
        }
        if (!['QUEUED', 'RUNNING'].includes(importJob.status)) {
          if (importJob.status !== 'SUCCEEDED')
            throw new Error(`an import ended ${importJob.status}: ${importJob.error}`);
          const ms = performance.now() - started;
          return {
            ms,
            fetchMs: (applyingAt ?? started + ms) - started,
            cpu: reading === null ? { reading: phase(), applying: null } : { reading, applying: phase() },
            counts: importJob.counts,
          };
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    const main = await prepare('bench', hr.url);
    const run = (label: string) => {
      process.stdout.write(`${label}…\n`);
      return importAndWait(imports.url, main);
    };
    const first = await run(`Importing ${USERS} new users`);
    const again = await run('Importing them again, unchanged');
    const rss = peakRssMb(imports.child.pid!);

    // Scale-out: four connectors of SCALE_USERS users each at once, on one worker process, then two.
    const scaleHr = await startHrProvider({
      users: workload.users.slice(0, SCALE_USERS),
      ...workload.provider,
    });
    cleanups.unshift(() => scaleHr.close());
    const redis = {
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      IMPORT_QUEUE_NAME: `uif-bench-${secret.slice(0, 8)}`,
    };
    const api = await spawnImport({ ...redis, IMPORT_ROLE: 'api' });
    const fourAtOnce = async (label: string) => {
      process.stdout.write(`Importing 4 × ${SCALE_USERS} users at once with ${label}…\n`);
      const connectors = await Promise.all(
        [0, 1, 2, 3].map((i) => prepare(`bench-${label.replace(/\W/g, '')}-${i}`, scaleHr.url)),
      );
      const started = performance.now();
      await Promise.all(connectors.map((prepared) => importAndWait(api.url, prepared)));
      return performance.now() - started;
    };
    await spawnImport({ ...redis, IMPORT_ROLE: 'worker' });
    const oneWorker = await fourAtOnce('one worker');
    await spawnImport({ ...redis, IMPORT_ROLE: 'worker' });
    const twoWorkers = await fourAtOnce('two workers');

    const perSecond = (ms: number) => Math.round(USERS / (ms / 1000));
    /**
     * Each phase's time, the machine's busy cores in it and the CPU each process used (a phase
     * under a second has too few ticks to tell).
     */
    const phases = ({
      ms,
      fetchMs,
      cpu,
    }: {
      ms: number;
      fetchMs: number;
      cpu: Record<'reading' | 'applying', PhaseCpu | null>;
    }) => {
      const applyMs = ms - fetchMs;
      const shown = [cpu.reading, ...(applyMs >= 1_000 ? [cpu.applying] : [])].filter(
        (phase): phase is PhaseCpu => phase !== null,
      );
      const seconds = (phase: PhaseCpu) =>
        phase.seconds.map(([name, used]) => `${name} ${used.toFixed(1)}`).join(', ');
      return (
        `${'  reading and deciding / applying'.padEnd(38)} ${(fetchMs / 1000).toFixed(2).padStart(7)} s / ${(applyMs / 1000).toFixed(2)} s` +
        `   (${shown.map((phase) => phase.busyCores.toFixed(2)).join(' / ')} of ${cpus().length} cores busy)\n` +
        shown
          .map((phase, i) => `    CPU s while ${i === 0 ? 'reading' : 'applying'}: ${seconds(phase)}\n`)
          .join('')
      );
    };
    const line = (label: string, ms: number, extra = '') =>
      `${label.padEnd(38)} ${(ms / 1000).toFixed(2).padStart(7)} s ${String(perSecond(ms)).padStart(8)} users/s${extra}\n`;
    process.stdout.write(
      `\nResults (${USERS} ${workload.description}, pages of ${PAGE_SIZE}` +
        `${PAGE_DELAY_MS ? ` answered in ${PAGE_DELAY_MS} ms` : ''}, MySQL):\n` +
        line(`floor (multi-row INSERT, median of ${FLOOR_ROUNDS})`, floorMs) +
        line('  with their links and creation events', floors.storedMs) +
        line(
          'import, new users',
          first.ms,
          `   ${(first.ms / floorMs).toFixed(2)}× floor (target ≤ 4.0×), ${(first.ms / floors.storedMs).toFixed(2)}× the stored rows`,
        ) +
        phases(first) +
        line(
          're-import, unchanged',
          again.ms,
          `   ${(again.ms / floorMs).toFixed(2)}× floor (target ≤ 2.0×)`,
        ) +
        phases(again) +
        `${'import process peak RSS'.padEnd(38)} ${String(rss).padStart(7)} MB (target ≤ 300 MB, flat in the number of users)\n` +
        `counts: first ${JSON.stringify(first.counts)}, again ${JSON.stringify(again.counts)}\n` +
        `\nScale-out (4 connectors × ${SCALE_USERS} users at once, BullMQ on Redis):\n` +
        `${'one worker process'.padEnd(38)} ${(oneWorker / 1000).toFixed(2).padStart(7)} s\n` +
        `${'two worker processes'.padEnd(38)} ${(twoWorkers / 1000).toFixed(2).padStart(7)} s   ${(oneWorker / twoWorkers).toFixed(2)}× faster\n`,
    );
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

await main();
