import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Imports and schedules may suspend the users a complete listing no longer has. */
export class SuspendMissingUsers1764400000000 implements MigrationInterface {
  name = 'SuspendMissingUsers1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['import_jobs', 'import_schedules']) {
      await queryRunner.addColumn(
        table,
        new TableColumn({ name: 'suspendMissingUsers', type: 'boolean', default: false }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_schedules', 'suspendMissingUsers');
    await queryRunner.dropColumn('import_jobs', 'suspendMissingUsers');
  }
}
