import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Each connector's brake on mass suspensions, and jobs that wait for an admin's approval. */
export class ImportBrakes1764300000000 implements MigrationInterface {
  name = 'ImportBrakes1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'import_brakes',
        columns: [
          { name: 'connectorId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'organizationId', type: 'varchar', length: '64' },
          { name: 'enabled', type: 'boolean' },
          { name: 'maxSuspensions', type: 'int', isNullable: true },
          { name: 'maxSuspensionPercent', type: 'double', isNullable: true },
          { name: 'updatedAt', type: 'datetime', precision: 3 },
        ],
      }),
    );
    await queryRunner.addColumns('import_jobs', [
      new TableColumn({ name: 'brakeTrip', type: 'text', isNullable: true }),
      new TableColumn({ name: 'approvedBy', type: 'varchar', length: '255', isNullable: true }),
    ]);
    // AWAITING_APPROVAL is longer than the statuses so far.
    await queryRunner.changeColumn(
      'import_jobs',
      'status',
      new TableColumn({ name: 'status', type: 'varchar', length: '32' }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('import_jobs', ['brakeTrip', 'approvedBy']);
    await queryRunner.dropTable('import_brakes');
  }
}
