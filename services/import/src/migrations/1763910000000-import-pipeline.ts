import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Job progress and worker lease; the planned changes of a job; one result per provider user. */
export class ImportPipeline1763910000000 implements MigrationInterface {
  name = 'ImportPipeline1763910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('import_jobs', [
      new TableColumn({ name: 'phase', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'selectedExternalIds', type: 'text', isNullable: true }),
      new TableColumn({ name: 'total', type: 'int', isNullable: true }),
      new TableColumn({ name: 'processed', type: 'int', isNullable: true }),
      new TableColumn({ name: 'counts', type: 'text', isNullable: true }),
      new TableColumn({ name: 'warnings', type: 'text', isNullable: true }),
      new TableColumn({ name: 'cancelRequestedAt', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'heartbeatAt', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'workerId', type: 'varchar', length: '64', isNullable: true }),
    ]);
    await queryRunner.query(
      `UPDATE import_jobs SET phase = 'DONE', processed = 0, counts = '{}', warnings = '[]' WHERE phase IS NULL`,
    );
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
        ],
        indices: [
          new TableIndex({ name: 'IDX_import_results_outcome', columnNames: ['jobId', 'outcome', 'seq'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('import_results');
    await queryRunner.dropTable('import_plan');
    for (const column of [
      'workerId',
      'heartbeatAt',
      'cancelRequestedAt',
      'warnings',
      'counts',
      'processed',
      'total',
      'selectedExternalIds',
      'phase',
    ]) {
      await queryRunner.dropColumn('import_jobs', column);
    }
  }
}
