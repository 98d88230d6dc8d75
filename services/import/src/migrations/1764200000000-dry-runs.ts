import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Jobs may be dry runs; every result keeps the attribute changes it made (or would make). */
export class DryRuns1764200000000 implements MigrationInterface {
  name = 'DryRuns1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'import_jobs',
      new TableColumn({ name: 'dryRun', type: 'boolean', default: false }),
    );
    await queryRunner.addColumn(
      'import_results',
      new TableColumn({ name: 'changes', type: 'text', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_results', 'changes');
    await queryRunner.dropColumn('import_jobs', 'dryRun');
  }
}
