import { createTestDatabase, type TestDatabase } from '@uif/testing';
import { DataSource, EntitySchema, In } from 'typeorm';
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

interface Document {
  id: number;
  data: unknown;
}

const Documents = new EntitySchema<Document>({
  name: 'document',
  columns: { id: { type: Number, primary: true }, data: { type: 'simple-json' } },
});

/** JSON whose text holds everything a string literal must escape, and what it may keep. */
const TRICKY_JSON: unknown[] = [
  { quote: 'say "hi"', apostrophe: "O'Brien", backslash: 'C:\\temp\\new', both: `\\'` },
  { control: 'nul \0 tab \t newline \n return \r ctrl-z \x1a', unicode: 'Zoë 日本 👩‍💻' },
  ['\\"', "''", '\\\\', 'end\\'],
  "a plain string's JSON",
  { nested: { deeper: [{ from: null, to: '"quoted"' }] } },
];

describe.each(['mysql', 'sqlite'] as const)('bulkInsert of JSON columns on %s', (dialect) => {
  const counter = new QueryCounter();
  let dataSource: DataSource;
  let database: TestDatabase | null = null;
  beforeAll(async () => {
    database = dialect === 'mysql' ? await createTestDatabase('uif_bulk_insert') : null;
    dataSource = new DataSource({
      ...(database
        ? { type: 'mysql' as const, url: database.url, timezone: 'Z' }
        : { type: 'better-sqlite3' as const, database: ':memory:' }),
      entities: [Documents],
      synchronize: true,
      logging: ['query', 'error'],
      logger: counter,
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores JSON exactly as it was, whatever characters its strings hold', async () => {
    const documents = TRICKY_JSON.map((data, id) => ({ id, data }));
    await bulkInsert(dataSource.manager, Documents, documents);
    const stored = await dataSource.getRepository(Documents).find({ order: { id: 'ASC' } });
    expect(stored).toEqual(documents);
  });
  it('sends no statement after one that failed: a transaction stops where its write did', async () => {
    const documents = (ids: number[]) => ids.map((id) => ({ id, data: { id } }));
    await bulkInsert(dataSource.manager, Documents, documents([103]));
    const attempt = dataSource.transaction((manager) =>
      bulkInsert(manager, Documents, documents([100, 101, 102, 103, 104, 105]), 2),
    );
    const statements = await counter.during(() => attempt.catch(() => undefined));
    await expect(attempt).rejects.toThrow(/duplicate|unique/i);
    expect(statements.filter((sql) => sql.startsWith('INSERT'))).toHaveLength(2);
    const stored = await dataSource.getRepository(Documents).find({ where: { id: In([100, 101, 104]) } });
    expect(stored).toEqual([]);
  });
});
