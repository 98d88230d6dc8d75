import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, temporaryDirectory, testSecret, type TestDatabase } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDirectory } from './app.js';
import { directoryMigrations } from './migrations/index.js';

const entryPoint = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Runs the built entry point the way an operator would, and returns how it ended. */
function runDirectory(env: Record<string, string>) {
  const run = spawnSync(process.execPath, [entryPoint], {
    env: {
      PATH: process.env.PATH,
      INTERNAL_SECRET: testSecret(),
      DIRECTORY_PORT: '0',
      DATA_DIR: temporaryDirectory(),
      ...env,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stderr: run.stderr.trim() };
}

describe('directory start-up', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('migrates a MySQL database once, however many processes start on it', async () => {
    const config = {
      DIRECTORY_PORT: 0,
      HOST: '127.0.0.1',
      INTERNAL_SECRET: testSecret(),
      DATABASE_URL: database.url,
      DATA_DIR: temporaryDirectory(),
      LOG_LEVEL: 'silent' as const,
    };
    const both = await Promise.all([startDirectory(config), startDirectory(config)]);
    const rows = (await both[0].dataSource.query('SELECT name FROM directory_migrations')) as {
      name: string;
    }[];
    // Each migration once, though two processes ran them at the same time.
    expect(rows.map((r) => r.name)).toEqual(directoryMigrations.map((migration) => migration.name));
    const keys = (await both[0].dataSource.query('SELECT COUNT(*) AS n FROM api_keys')) as {
      n: number | string;
    }[];
    expect(Number(keys[0]!.n)).toBeGreaterThanOrEqual(1);
    await Promise.all(both.map((d) => d.stop()));

    const again = await startDirectory(config);
    expect(await again.dataSource.showMigrations()).toBe(false);
    await again.stop();
  });

  it('says in one line that the database cannot be reached, and exits 1', () => {
    const run = runDirectory({ DATABASE_URL: 'mysql://root@127.0.0.1:1/nowhere' });
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^directory could not start: Cannot open the directory database \(MySQL at 127\.0\.0\.1:1\/nowhere\): .*ECONNREFUSED/,
    );
  });

  it('names a malformed DATABASE_URL and every other bad variable, and exits 1', () => {
    const run = runDirectory({
      DATABASE_URL: 'postgres://db/users',
      DIRECTORY_PORT: 'http',
      INTERNAL_SECRET: 'short',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid configuration for directory');
    expect(run.stderr).toMatch(/DATABASE_URL: must look like mysql:\/\//);
    expect(run.stderr).toMatch(/DIRECTORY_PORT: /);
    expect(run.stderr).toMatch(/INTERNAL_SECRET: must be at least 32 characters/);
  });
});
