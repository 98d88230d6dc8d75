import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Extra headers sent to a provider with every request: their values, encrypted. */
export class ExtraHeaders1764100000000 implements MigrationInterface {
  name = 'ExtraHeaders1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'connectors',
      new TableColumn({ name: 'encryptedExtraHeaders', type: 'text', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('connectors', 'encryptedExtraHeaders');
  }
}
