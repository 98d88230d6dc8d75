import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Most rows per INSERT: an import's batch of 2,000 users in one statement per table. */
export const BULK_INSERT_ROWS = 2_000;
/** SQLite's limit on the parameters of one statement (MySQL's driver inlines values: no limit). */
const MAX_PARAMETERS = 32_766;
/** Values per statement, in characters: under MySQL's smallest default max_allowed_packet (4 MB) even at 4 bytes a character. */
const MAX_STATEMENT_CHARS = 800_000;

/**
 * Multi-row INSERTs of whole entities on either dialect. TypeORM's insert builder spends more time
 * on its parameter bookkeeping than the database spends writing (quadratic in the row count), so
 * imports write through this: the driver still converts each value (JSON, dates, booleans). Rows go
 * in as few statements as the parameter and size limits allow.
 */
export async function bulkInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: readonly T[],
  maxRowsPerInsert = BULK_INSERT_ROWS,
): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(target);
  const columns = metadata.columns.filter((column) => !column.isVirtual && !column.isGenerated);
  const rowsPerInsert = Math.min(maxRowsPerInsert, Math.floor(MAX_PARAMETERS / columns.length));
  const into = `INSERT INTO ${driver.escape(metadata.tablePath)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let parameters: unknown[] = [];
  let count = 0;
  let chars = 0;
  const flush = async () => {
    await manager.query(into + Array.from({ length: count }, () => tuple).join(', '), parameters);
    [parameters, count, chars] = [[], 0, 0];
  };
  for (const row of rows) {
    for (const column of columns) {
      const value: unknown = driver.preparePersistentValue(column.getEntityValue(row), column) ?? null;
      parameters.push(value);
      chars += typeof value === 'string' ? value.length : 8;
    }
    count += 1;
    if (count >= rowsPerInsert || chars >= MAX_STATEMENT_CHARS) await flush();
  }
  if (count > 0) await flush();
}
