import {
  Table,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';

const id = (name = 'id'): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '64',
  isPrimary: name === 'id',
});
const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '64',
  isNullable: nullable,
});
const text = (name: string, length = '255', nullable = true): TableColumnOptions => ({
  name,
  type: 'varchar',
  length,
  isNullable: nullable,
});
const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
const longText = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});

/** The directory's tables: organizations, their API keys, users, import links and directory events. */
export class CreateDirectory1763856000000 implements MigrationInterface {
  name = 'CreateDirectory1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'organizations',
        columns: [
          id(),
          text('name', '255', false),
          longText('notificationEmails', false),
          { name: 'userLicenseLimit', type: 'int', isNullable: true },
          time('createdAt'),
          time('updatedAt'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          id(),
          ref('organizationId'),
          text('label', '255', false),
          text('prefix', '16', false),
          text('hash', '64', false),
          time('createdAt'),
          time('revokedAt', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_api_keys_hash', columnNames: ['hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_api_keys_org', columnNames: ['organizationId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          ref('organizationId'),
          text('email', '255', false),
          text('username', '255', false),
          text('usernameKey', '255', false),
          ...['firstname', 'lastname', 'middlename', 'displayname', 'jobTitle', 'department'].map((n) =>
            text(n),
          ),
          ...['costCenter', 'employeeType', 'employeeIdentifier', 'organization'].map((n) => text(n)),
          longText('addresses', false),
          longText('phoneNumbers', false),
          text('state', '16', false),
          text('passwordStatus', '16', false),
          ref('importedFromConnectorId', true),
          ref('createdByImportJobId', true),
          time('createdAt'),
          time('updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_users_org_email',
            columnNames: ['organizationId', 'email'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'UQ_users_org_username',
            columnNames: ['organizationId', 'usernameKey'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'UQ_users_org_employee_identifier',
            columnNames: ['organizationId', 'employeeIdentifier'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'IDX_users_org_connector',
            columnNames: ['organizationId', 'importedFromConnectorId'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_links',
        columns: [
          { ...ref('organizationId'), isPrimary: true },
          { ...ref('connectorId'), isPrimary: true },
          { ...text('externalId', '255', false), isPrimary: true },
          ref('userId'),
          time('createdAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_user_links_user', columnNames: ['userId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'directory_events',
        columns: [
          id(),
          ref('organizationId'),
          text('type', '32', false),
          time('occurredAt'),
          text('actor', '255', false),
          ref('userId'),
          ref('connectorId', true),
          ref('importJobId', true),
          longText('changes'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_events_org_user', columnNames: ['organizationId', 'userId'] }),
          new TableIndex({
            name: 'IDX_events_org_connector',
            columnNames: ['organizationId', 'connectorId'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['directory_events', 'user_links', 'users', 'api_keys', 'organizations']) {
      await queryRunner.dropTable(table);
    }
  }
}
