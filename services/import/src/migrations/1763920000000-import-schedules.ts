import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Hourly import schedules, and whether a job sends the summary email. */
export class ImportSchedules1763920000000 implements MigrationInterface {
  name = 'ImportSchedules1763920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'import_schedules',
        columns: [
          { name: 'connectorId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'organizationId', type: 'varchar', length: '64' },
          { name: 'enabled', type: 'boolean' },
          { name: 'allowUserReactivation', type: 'boolean' },
          { name: 'operations', type: 'text' },
          { name: 'query', type: 'varchar', length: '2048', isNullable: true },
          { name: 'sendEmail', type: 'boolean' },
          { name: 'minuteOfHour', type: 'int' },
          { name: 'nextRunAt', type: 'datetime', precision: 3, isNullable: true },
          { name: 'lastJobId', type: 'varchar', length: '64', isNullable: true },
          { name: 'skippedRuns', type: 'int' },
          { name: 'lastSkippedAt', type: 'datetime', precision: 3, isNullable: true },
          { name: 'createdAt', type: 'datetime', precision: 3 },
          { name: 'updatedAt', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'IDX_import_schedules_due', columnNames: ['nextRunAt'] })],
      }),
    );
    await queryRunner.addColumn(
      'import_jobs',
      new TableColumn({ name: 'sendEmail', type: 'boolean', isNullable: true }),
    );
    // Every job so far was manual, and manual imports always send the email.
    await queryRunner.query('UPDATE import_jobs SET sendEmail = 1 WHERE sendEmail IS NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_jobs', 'sendEmail');
    await queryRunner.dropTable('import_schedules');
  }
}
