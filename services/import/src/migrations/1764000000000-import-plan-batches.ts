import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const OLD = 'import_plan_rows';

/** Most changes put in one converted batch (the import's default batch size). */
const CONVERTED_BATCH = 2000;

interface PlanRow {
  jobId: string;
  seq: number;
  externalId: string;
  email: string | null;
  username: string | null;
  action: string;
  userId: string | null;
  attributes: string | null;
}

/**
 * The plan is stored one row per directory batch instead of one per user (a third of an import's
 * writes). Plans of jobs in flight are carried over, so they resume where they stopped.
 */
export class ImportPlanBatches1764000000000 implements MigrationInterface {
  name = 'ImportPlanBatches1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable('import_plan', OLD);
    await queryRunner.createTable(
      new Table({
        name: 'import_plan',
        columns: [
          { name: 'jobId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'seq', type: 'int', isPrimary: true },
          { name: 'changes', type: longText(queryRunner) },
        ],
      }),
    );
    const rows = (await queryRunner.query(
      `SELECT jobId, seq, externalId, email, username, action, userId, attributes FROM ${OLD} ORDER BY jobId, seq`,
    )) as PlanRow[];
    for (const batch of batchesOf(rows)) {
      const changes = batch.map(({ jobId: _jobId, attributes, ...change }) => ({
        ...change,
        seq: Number(change.seq),
        attributes: attributes ? (JSON.parse(attributes) as unknown) : null,
      }));
      await queryRunner.query('INSERT INTO import_plan (jobId, seq, changes) VALUES (?, ?, ?)', [
        batch[0]!.jobId,
        changes[0]!.seq,
        JSON.stringify(changes),
      ]);
    }
    await queryRunner.dropTable(OLD);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable('import_plan', OLD);
    await queryRunner.createTable(
      new Table({
        name: 'import_plan',
        columns: [
          { name: 'jobId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'seq', type: 'int', isPrimary: true },
          { name: 'externalId', type: 'varchar', length: '255' },
          { name: 'email', type: 'varchar', length: '255', isNullable: true },
          { name: 'username', type: 'varchar', length: '255', isNullable: true },
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'userId', type: 'varchar', length: '64', isNullable: true },
          { name: 'attributes', type: 'text', isNullable: true },
        ],
      }),
    );
    const batches = (await queryRunner.query(`SELECT jobId, changes FROM ${OLD}`)) as {
      jobId: string;
      changes: string;
    }[];
    for (const { jobId, changes } of batches) {
      for (const change of JSON.parse(changes) as Omit<PlanRow, 'jobId' | 'attributes'>[] &
        { attributes: unknown }[]) {
        await queryRunner.query(
          'INSERT INTO import_plan (jobId, seq, externalId, email, username, action, userId, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [
            jobId,
            change.seq,
            change.externalId,
            change.email,
            change.username,
            change.action,
            change.userId,
            change.attributes === null ? null : JSON.stringify(change.attributes),
          ],
        );
      }
    }
    await queryRunner.dropTable(OLD);
  }
}

/** MySQL's TEXT holds 64 KB, too little for a batch of a few thousand users. */
function longText(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'mysql' ? 'longtext' : 'text';
}

/** Each job's rows in order, cut into batches. */
function batchesOf(rows: PlanRow[]): PlanRow[][] {
  const batches: PlanRow[][] = [];
  for (const row of rows) {
    const last = batches.at(-1);
    if (last && last[0]!.jobId === row.jobId && last.length < CONVERTED_BATCH) last.push(row);
    else batches.push([row]);
  }
  return batches;
}
