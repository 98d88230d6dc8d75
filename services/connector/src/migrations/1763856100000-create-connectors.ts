import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateConnectors1763856100000 implements MigrationInterface {
  name = 'CreateConnectors1763856100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'connectors',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'organizationId', type: 'varchar', length: '64' },
          { name: 'displayLabel', type: 'varchar', length: '255' },
          { name: 'description', type: 'varchar', length: '1024', isNullable: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'baseUrl', type: 'varchar', length: '2048' },
          { name: 'authMethod', type: 'varchar', length: '32' },
          { name: 'authorized', type: 'boolean' },
          { name: 'createdAt', type: 'datetime', precision: 3 },
          { name: 'updatedAt', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'IDX_connectors_org', columnNames: ['organizationId'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('connectors');
  }
}
