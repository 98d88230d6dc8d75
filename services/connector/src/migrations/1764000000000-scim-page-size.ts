import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The page size a SCIM service allows (its ServiceProviderConfig maxResults), learned by the connection test. */
export class ScimPageSize1764000000000 implements MigrationInterface {
  name = 'ScimPageSize1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'connectors',
      new TableColumn({ name: 'scimPageSize', type: 'int', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('connectors', 'scimPageSize');
  }
}
