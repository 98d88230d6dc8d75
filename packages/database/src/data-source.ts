import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource, type DataSourceOptions, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';

export interface DatabaseSettings {
  /** The owning service: names its migrations table and its embedded SQLite file. */
  service: string;
  /** mysql://… puts the data in MySQL/MariaDB; unset means an embedded SQLite file in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  // TypeORM's own option types: entity and migration classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  /** Receives every SQL statement (tests count them). */
  queryLogger?: TypeOrmLogger;
}

/** Raised when the database cannot be reached or migrated; its message is meant for the operator. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

export function isMysql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'mysql';
}

export function describeDatabase(
  settings: Pick<DatabaseSettings, 'databaseUrl' | 'dataDir' | 'service'>,
): string {
  if (!settings.databaseUrl) return `SQLite file ${sqliteFile(settings)}`;
  const url = new URL(settings.databaseUrl);
  return `MySQL at ${url.hostname}:${url.port || 3306}${url.pathname}`;
}

function sqliteFile(settings: Pick<DatabaseSettings, 'dataDir' | 'service'>): string {
  return resolve(join(settings.dataDir, `${settings.service}.sqlite`));
}

function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTableName: `${settings.service}_migrations`,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    ...(settings.queryLogger
      ? { logging: ['query' as const], logger: settings.queryLogger }
      : { logging: false }),
  };
  if (settings.databaseUrl) {
    return {
      ...common,
      type: 'mysql',
      url: settings.databaseUrl,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      extra: { connectionLimit: 10 },
    };
  }
  mkdirSync(settings.dataDir, { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: sqliteFile(settings),
    enableWAL: true,
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      db.pragma('busy_timeout = 10000');
      db.pragma('foreign_keys = ON');
    },
  };
}

/** Several processes may start at once on one MySQL database: only one of them migrates at a time. */
async function migrateUnderLock(dataSource: DataSource, service: string): Promise<void> {
  if (!isMysql(dataSource)) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  const lockName = `uif_migrate_${service}`;
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, 120) AS acquired', [lockName])) as {
      acquired: number;
    }[];
    if (row?.acquired !== 1)
      throw new DatabaseUnavailableError(`Timed out waiting for the ${service} migration lock`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
    await runner.release();
  }
}

/** Connects, applies pending migrations and returns the ready data source. */
export async function openDatabase(settings: DatabaseSettings): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(settings));
  const where = describeDatabase(settings);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot open the ${settings.service} database (${where}): ${reason(error)}`,
      {
        cause: error,
      },
    );
  }
  try {
    await migrateUnderLock(dataSource, settings.service);
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    if (error instanceof DatabaseUnavailableError) throw error;
    throw new DatabaseUnavailableError(
      `Migrating the ${settings.service} database (${where}) failed: ${reason(error)}`,
      {
        cause: error,
      },
    );
  }
  return dataSource;
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message || String(code);
  }
  return String(error);
}
