import { DataSource, EntitySchema } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkInsert, BULK_INSERT_ROWS } from './bulk-insert.js';
import { QueryCounter } from './query-counter.js';

interface Note {
  id: number;
  text: string;
}

const Notes = new EntitySchema<Note>({
  name: 'note',
  columns: { id: { type: Number, primary: true }, text: { type: String } },
});

describe('bulkInsert', () => {
  const counter = new QueryCounter();
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Notes],
      synchronize: true,
      logging: true,
      logger: counter,
    });
    await dataSource.initialize();
  });
  afterAll(() => dataSource?.destroy());

  const notes = (from: number, count: number, length: number): Note[] =>
    Array.from({ length: count }, (_, i) => ({ id: from + i, text: `${from + i}`.padEnd(length, '.') }));
  const inserts = (statements: string[]) => statements.filter((sql) => sql.startsWith('INSERT'));

  it(`writes up to ${BULK_INSERT_ROWS} short rows a statement`, async () => {
    const rows = notes(0, 5_000, 10);
    const statements = await counter.during(() => bulkInsert(dataSource.manager, Notes, rows));
    expect(inserts(statements)).toHaveLength(3);
    expect(await dataSource.getRepository(Notes).count()).toBe(5_000);
  });

  it('cuts a statement of long values short, so that it stays a small packet', async () => {
    const rows = notes(10_000, 1_000, 2_000);
    const statements = await counter.during(() => bulkInsert(dataSource.manager, Notes, rows));
    expect(inserts(statements).length).toBeGreaterThanOrEqual(3);
    const stored = await dataSource.getRepository(Notes).findOneByOrFail({ id: 10_999 });
    expect(stored.text).toBe(rows.at(-1)!.text);
    expect(await dataSource.getRepository(Notes).countBy({})).toBe(6_000);
  });
});
