import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateImportJobs1763856200000 implements MigrationInterface {
  name = 'CreateImportJobs1763856200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'import_jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'organizationId', type: 'varchar', length: '64' },
          { name: 'connectorId', type: 'varchar', length: '64' },
          { name: 'trigger', type: 'varchar', length: '16' },
          { name: 'operations', type: 'text' },
          { name: 'allowUserReactivation', type: 'boolean' },
          { name: 'query', type: 'varchar', length: '2048', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'startedBy', type: 'varchar', length: '255' },
          { name: 'createdAt', type: 'datetime', precision: 3 },
          { name: 'startedAt', type: 'datetime', precision: 3, isNullable: true },
          { name: 'finishedAt', type: 'datetime', precision: 3, isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'IDX_import_jobs_org_connector',
            columnNames: ['organizationId', 'connectorId'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('import_jobs');
  }
}
