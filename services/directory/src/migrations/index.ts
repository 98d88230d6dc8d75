import { CreateDirectory1763856000000 } from './1763856000000-create-directory.js';

export const directoryMigrations = [CreateDirectory1763856000000];
