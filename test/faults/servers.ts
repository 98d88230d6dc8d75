import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from '@uif/testing';

/**
 * Private MariaDB and Redis servers for the fault drills: on free ports, in temporary directories,
 * as child processes the drills may kill and start again, so the shared servers on 3306/6379 (the
 * main suite's, other people's) are never touched. Everything started here is disposed of by
 * `disposeAll()` (call it in afterAll), by the process's exit, and — should this process be killed
 * outright — by a watchdog that kills the child once its parent is gone.
 */

/** What `disposeAll()` and the exit handlers take down: private servers and tracked children. */
const servers = new Set<PrivateServer>();
const children = new Set<ChildProcess>();
let exitHooked = false;

function killEverythingNow(): void {
  for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
  for (const server of servers) server.killNow();
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', killEverythingNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killEverythingNow();
      // The handler replaced the default action: raise the signal again to get it back.
      process.kill(process.pid, signal);
    });
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Kills `pid` once this process is gone (even by SIGKILL, where no exit handler runs), if it is
 * still the same process (same start time: a pid may be reused), then removes `dir`. Ends by
 * itself when the child ends first.
 */
function watchdog(pid: number, dir: string | null): void {
  const script = `
    started=$(awk '{print $22}' "/proc/$CHILD/stat" 2>/dev/null) || exit 0
    while kill -0 "$PARENT" 2>/dev/null; do
      kill -0 "$CHILD" 2>/dev/null || exit 0
      sleep 1
    done
    [ "$(awk '{print $22}' "/proc/$CHILD/stat" 2>/dev/null)" = "$started" ] && kill -9 "$CHILD"
    if [ -n "$DIR" ]; then sleep 1; rm -rf -- "$DIR"; fi
    exit 0`;
  spawn('sh', ['-c', script], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env.PATH, PARENT: String(process.pid), CHILD: String(pid), DIR: dir ?? '' },
  }).unref();
}

/** Waits until `child` has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Polls `probe` until it answers true; `gone` names a reason to stop waiting (the process died). */
export async function pollUntil(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
  gone: () => Error | null = () => null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    const reason = gone();
    if (reason) throw reason;
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A server process the drills control: started, killed and started again on the same port and data. */
export abstract class PrivateServer {
  readonly dir: string;
  protected child: ChildProcess | null = null;
  /** The last lines the server wrote, for the error when it does not come up. */
  private output = '';
  /** How long the last start took until the server answered (ms): after a crash, its recovery. */
  lastStartMs = 0;

  protected constructor(
    readonly name: string,
    readonly port: number,
  ) {
    hookExit();
    this.dir = mkdtempSync(join(tmpdir(), `uif-faults-${name}-`));
    servers.add(this);
  }

  protected abstract command(): { file: string; args: string[] };
  protected abstract ready(): Promise<boolean>;

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && isRunning(this.child);
  }

  /** Starts the server and waits until it answers; resolves with how long that took (ms). */
  async start(): Promise<number> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const started = performance.now();
    const { file, args } = this.command();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let spawnError: Error | null = null;
    child.once('error', (error) => (spawnError = error));
    if (child.pid !== undefined) watchdog(child.pid, this.dir);
    await pollUntil(
      `${this.name} on port ${this.port}`,
      60_000,
      () => this.ready(),
      () => spawnError ?? (this.running ? null : new Error(`${this.name} exited at start`)),
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${this.output}${this.logTail()}`);
    });
    this.lastStartMs = Math.round(performance.now() - started);
    return this.lastStartMs;
  }

  protected logTail(): string {
    return '';
  }

  /** Sends `signal` and waits until the process is gone (SIGKILL: a crash; SIGTERM: a clean stop). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill(signal);
    await exited(child);
  }

  /** A clean stop, SIGKILL when it takes longer than 20 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }

  /** Kills the server, leaves it down for `downMs`, starts it again; resolves with the time it was unreachable. */
  async restart(options: { signal?: NodeJS.Signals; downMs?: number } = {}): Promise<{ downMs: number }> {
    const down = performance.now();
    await this.kill(options.signal ?? 'SIGKILL');
    if (options.downMs) await new Promise((resolve) => setTimeout(resolve, options.downMs));
    await this.start();
    return { downMs: Math.round(performance.now() - down) };
  }

  /** Stops the server for good and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    servers.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous, for exit handlers. */
  killNow(): void {
    if (this.running) this.child?.kill('SIGKILL');
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // The watchdog removes it once the process is gone.
    }
  }
}

export class PrivateMariaDb extends PrivateServer {
  private constructor(port: number) {
    super('mariadb', port);
  }

  /** mysql://root@127.0.0.1:PORT: the server, without a database (see createDatabase). */
  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  /** How long mariadb-install-db took to initialize the data directory (ms). */
  initMs = 0;

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Initializes a fresh data directory and starts the server on a free port. */
  static async start(): Promise<PrivateMariaDb> {
    const server = new PrivateMariaDb(await freePort());
    const started = performance.now();
    const install = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${server.dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...asRoot(),
      ],
      { encoding: 'utf8' },
    );
    if (install.status !== 0) {
      await server.dispose();
      throw new Error(`mariadb-install-db failed: ${install.error?.message ?? ''}${install.stderr}`);
    }
    server.initMs = Math.round(performance.now() - started);
    try {
      await server.start();
    } catch (error) {
      await server.dispose();
      throw error;
    }
    return server;
  }

  protected command() {
    return {
      file: '/usr/sbin/mariadbd',
      args: [
        '--no-defaults',
        `--datadir=${this.dataDir}`,
        `--port=${this.port}`,
        `--socket=${join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${join(this.dir, 'mysqld.pid')}`,
        `--log-error=${join(this.dir, 'error.log')}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--max-connections=500',
        '--innodb-buffer-pool-size=256M',
        // Commits survive a kill of the server (the OS keeps the log), not a power cut: enough here.
        '--innodb-flush-log-at-trx-commit=2',
        ...asRoot(),
      ],
    };
  }

  protected async ready(): Promise<boolean> {
    const connection = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    try {
      await connection.query('SELECT 1');
      return true;
    } finally {
      await connection.end().catch(() => undefined);
    }
  }

  protected override logTail(): string {
    try {
      return readFileSync(join(this.dir, 'error.log'), 'utf8').slice(-2000);
    } catch {
      return '';
    }
  }

  /** A fresh, empty database on this server; resolves with its mysql:// URL. */
  async createDatabase(name: string): Promise<string> {
    const connection = await createConnection(this.url);
    try {
      await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await connection.end();
    }
    return `${this.url}/${name}`;
  }
}

/** mariadbd refuses to run as root unless told to. */
function asRoot(): string[] {
  return process.getuid?.() === 0 ? ['--user=root'] : [];
}

export class PrivateRedis extends PrivateServer {
  private constructor(port: number) {
    super('redis', port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** An empty Redis without persistence on a free port: a restart loses everything, as a crash would. */
  static async start(): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort());
    try {
      await server.start();
    } catch (error) {
      await server.dispose();
      throw error;
    }
    return server;
  }

  protected command() {
    return {
      file: 'redis-server',
      args: [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        '--daemonize',
        'no',
      ],
    };
  }

  protected ready(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      let answer = '';
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.on('error', () => done(false));
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk) => {
        answer += chunk.toString('utf8');
        if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
      });
    });
  }
}

/**
 * Registers a child process the drill started (an import service), so it is killed with the rest:
 * by `disposeAll()`, at exit, or by the watchdog should this process die.
 */
export function trackChild(child: ChildProcess): void {
  hookExit();
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (child.pid !== undefined) watchdog(child.pid, null);
}

/** Kills the tracked children and disposes of every private server this process started. */
export async function disposeAll(): Promise<void> {
  await Promise.all(
    [...children].map((child) => {
      if (isRunning(child)) child.kill('SIGKILL');
      return exited(child);
    }),
  );
  await Promise.all([...servers].map((server) => server.dispose()));
}
