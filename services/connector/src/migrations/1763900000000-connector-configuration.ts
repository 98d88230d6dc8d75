import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Connector auth settings and secrets, list-users endpoint, mapping; OAuth authorization states. */
export class ConnectorConfiguration1763900000000 implements MigrationInterface {
  name = 'ConnectorConfiguration1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('connectors', [
      // MySQL allows no literal default on TEXT: add nullable, then fill the rows there are.
      new TableColumn({ name: 'authSettings', type: 'text', isNullable: true }),
      new TableColumn({ name: 'encryptedSecrets', type: 'text', isNullable: true }),
      new TableColumn({ name: 'listUsers', type: 'text', isNullable: true }),
      new TableColumn({ name: 'mapping', type: 'text', isNullable: true }),
    ]);
    await queryRunner.query(
      `UPDATE connectors SET authSettings = '{}', encryptedSecrets = '' WHERE authSettings IS NULL`,
    );
    await queryRunner.createTable(
      new Table({
        name: 'oauth_states',
        columns: [
          { name: 'stateHash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'organizationId', type: 'varchar', length: '64' },
          { name: 'connectorId', type: 'varchar', length: '64' },
          { name: 'encryptedVerifier', type: 'text' },
          { name: 'expiresAt', type: 'datetime', precision: 3 },
          { name: 'usedAt', type: 'datetime', precision: 3, isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oauth_states');
    for (const column of ['mapping', 'listUsers', 'encryptedSecrets', 'authSettings']) {
      await queryRunner.dropColumn('connectors', column);
    }
  }
}
