import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Rows read, and at most put in one chunk, at a time. */
const CONVERTED_CHUNK = 1000;

const RESULT_COLUMNS = ['seq', 'externalId', 'email', 'username', 'detail', 'userId'] as const;

interface ResultRow {
  seq: number;
  externalId: string | null;
  email: string | null;
  username: string | null;
  outcome: string;
  detail: string | null;
  userId: string | null;
  /** JSON text, as the row held it. */
  changes: string | null;
}

type ChunkedResult = Omit<ResultRow, 'outcome' | 'changes'> & { changes: unknown };

/**
 * Results are stored in chunks of one outcome (a thousand users a row) instead of one row per user:
 * they were the largest share of an unchanged re-import's writes. Every job's results are carried
 * over in the order they were listed.
 */
export class ResultChunks1764500000000 implements MigrationInterface {
  name = 'ResultChunks1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'import_result_chunks',
        columns: [
          { name: 'jobId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'firstSeq', type: 'int', isPrimary: true },
          { name: 'lastSeq', type: 'int' },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'count', type: 'int' },
          { name: 'results', type: longText(queryRunner) },
        ],
        indices: [
          new TableIndex({
            name: 'IDX_import_result_chunks_outcome',
            columnNames: ['jobId', 'outcome', 'firstSeq'],
          }),
        ],
      }),
    );
    const jobs = (await queryRunner.query('SELECT DISTINCT jobId FROM import_results')) as {
      jobId: string;
    }[];
    for (const { jobId } of jobs) {
      for (let after = -1; ;) {
        const rows = (await queryRunner.query(
          `SELECT ${RESULT_COLUMNS.join(', ')}, outcome, changes FROM import_results WHERE jobId = ? AND seq > ? ORDER BY seq LIMIT ${CONVERTED_CHUNK}`,
          [jobId, after],
        )) as ResultRow[];
        for (const [outcome, results] of byOutcome(rows)) {
          await queryRunner.query(
            'INSERT INTO import_result_chunks (jobId, firstSeq, lastSeq, outcome, count, results) VALUES (?, ?, ?, ?, ?, ?)',
            [jobId, results[0]!.seq, results.at(-1)!.seq, outcome, results.length, JSON.stringify(results)],
          );
        }
        if (rows.length < CONVERTED_CHUNK) break;
        after = Number(rows.at(-1)!.seq);
      }
    }
    await queryRunner.dropTable('import_results');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'import_results',
        columns: [
          { name: 'jobId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'seq', type: 'int', isPrimary: true },
          { name: 'organizationId', type: 'varchar', length: '64' },
          { name: 'externalId', type: 'varchar', length: '255', isNullable: true },
          { name: 'email', type: 'varchar', length: '255', isNullable: true },
          { name: 'username', type: 'varchar', length: '255', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'detail', type: 'text', isNullable: true },
          { name: 'userId', type: 'varchar', length: '64', isNullable: true },
          { name: 'changes', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'IDX_import_results_outcome', columnNames: ['jobId', 'outcome', 'seq'] }),
        ],
      }),
    );
    const chunks = (await queryRunner.query(
      'SELECT chunk.jobId, job.organizationId, chunk.outcome, chunk.results FROM import_result_chunks chunk JOIN import_jobs job ON job.id = chunk.jobId',
    )) as { jobId: string; organizationId: string; outcome: string; results: string }[];
    for (const { jobId, organizationId, outcome, results } of chunks) {
      for (const result of JSON.parse(results) as ChunkedResult[]) {
        await queryRunner.query(
          `INSERT INTO import_results (jobId, organizationId, outcome, changes, ${RESULT_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            jobId,
            organizationId,
            outcome,
            result.changes === null ? null : JSON.stringify(result.changes),
            ...RESULT_COLUMNS.map((column) => result[column]),
          ],
        );
      }
    }
    await queryRunner.dropTable('import_result_chunks');
  }
}

/** MySQL's TEXT holds 64 KB, too little for a thousand results. */
function longText(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'mysql' ? 'longtext' : 'text';
}

/** Rows in seq order, split by outcome, each list still in seq order and in the chunk's form. */
function byOutcome(rows: ResultRow[]): Map<string, ChunkedResult[]> {
  const lists = new Map<string, ChunkedResult[]>();
  for (const { outcome, changes, ...result } of rows) {
    const list = lists.get(outcome) ?? [];
    list.push({
      ...result,
      seq: Number(result.seq),
      changes: changes ? (JSON.parse(changes) as unknown) : null,
    });
    lists.set(outcome, list);
  }
  return lists;
}
