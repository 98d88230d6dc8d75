import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns behind a unique key: [table, column, nullable]. */
const KEY_COLUMNS: [string, string, boolean][] = [
  ['users', 'email', false],
  ['users', 'usernameKey', false],
  ['users', 'employeeIdentifier', true],
  ['user_links', 'externalId', false],
];

/**
 * Unique keys compare exactly on MySQL/MariaDB, as the batch planner does: under utf8mb4_unicode_ci
 * 'jose' and 'josé', 'ss' and 'ß', an id and its upper case were one key, so two users the planner
 * saw as different failed a whole batch on a duplicate key. Case is already folded where it must be
 * (emails and username keys are stored lowercased). SQLite compares exactly by default.
 */
export class ExactUniqueKeys1763950000000 implements MigrationInterface {
  name = 'ExactUniqueKeys1763950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.collate(queryRunner, 'utf8mb4_bin');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.collate(queryRunner, 'utf8mb4_unicode_ci');
  }

  private async collate(queryRunner: QueryRunner, collation: string): Promise<void> {
    if (queryRunner.connection.options.type !== 'mysql') return;
    for (const [table, column, nullable] of KEY_COLUMNS) {
      await queryRunner.query(
        `ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(255) CHARACTER SET utf8mb4 COLLATE ${collation} ${nullable ? 'NULL' : 'NOT NULL'}`,
      );
    }
  }
}
