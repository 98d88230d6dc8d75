import { openDatabase, type DatabaseSettings } from '@uif/database';
import type { DataSource } from 'typeorm';
import { ApiKey } from './api-key/api-key.entity.js';
import { DirectoryEvent } from './directory-event/directory-event.entity.js';
import { ImportHold } from './import-hold/import-hold.entity.js';
import { directoryMigrations } from './migrations/index.js';
import { Organization } from './organization/organization.entity.js';
import { UserLink } from './user/user-link.entity.js';
import { User } from './user/user.entity.js';

export const directoryEntities = [Organization, ApiKey, User, UserLink, DirectoryEvent, ImportHold];

/** The directory's database outside the server (the keys command). */
export function openDirectoryDatabase(
  settings: Pick<DatabaseSettings, 'databaseUrl' | 'dataDir'>,
): Promise<DataSource> {
  return openDatabase({
    ...settings,
    service: 'directory',
    entities: directoryEntities,
    migrations: directoryMigrations,
  });
}
