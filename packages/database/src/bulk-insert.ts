import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Rows per INSERT: well under MySQL's and SQLite's placeholder limits for our widest table. */
export const BULK_INSERT_ROWS = 500;

/**
 * Multi-row INSERTs of whole entities on either dialect. TypeORM's insert builder spends more time
 * on its parameter bookkeeping than the database spends writing (quadratic in the row count), so
 * imports write through this: the driver still converts each value (JSON, dates, booleans).
 */
export async function bulkInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: readonly T[],
  rowsPerInsert = BULK_INSERT_ROWS,
): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(target);
  const columns = metadata.columns.filter((column) => !column.isVirtual && !column.isGenerated);
  const into = `INSERT INTO ${driver.escape(metadata.tablePath)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    const chunk = rows.slice(start, start + rowsPerInsert);
    const parameters = chunk.flatMap((row) =>
      columns.map((column) => driver.preparePersistentValue(column.getEntityValue(row), column) ?? null),
    );
    await manager.query(into + chunk.map(() => tuple).join(', '), parameters);
  }
}
