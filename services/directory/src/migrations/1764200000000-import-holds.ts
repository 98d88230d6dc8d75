import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const varchar = (name: string, length: string, isPrimary = false) => ({
  name,
  type: 'varchar',
  length,
  isPrimary,
});

/** The audit trail of imports held by a brake, and of their approval or cancellation. */
export class ImportHolds1764200000000 implements MigrationInterface {
  name = 'ImportHolds1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'import_holds',
        columns: [
          varchar('id', '64', true),
          varchar('organizationId', '64'),
          varchar('connectorId', '64'),
          varchar('importJobId', '64'),
          varchar('kind', '16'),
          varchar('actor', '255'),
          { name: 'occurredAt', type: 'datetime', precision: 3 },
          { name: 'plannedSuspensions', type: 'int' },
          { name: 'activeUsers', type: 'int' },
        ],
        indices: [
          // One record of each kind per job: a record sent again (a retry) is not a second one.
          new TableIndex({
            name: 'UQ_import_holds_job_kind',
            columnNames: ['organizationId', 'importJobId', 'kind'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'IDX_import_holds_org_connector',
            columnNames: ['organizationId', 'connectorId'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('import_holds');
  }
}
