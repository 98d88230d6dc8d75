import { CreateDirectory1763856000000 } from './1763856000000-create-directory.js';
import { ExactUniqueKeys1763950000000 } from './1763950000000-exact-unique-keys.js';
import { ImportHolds1764200000000 } from './1764200000000-import-holds.js';

export const directoryMigrations = [
  CreateDirectory1763856000000,
  ExactUniqueKeys1763950000000,
  ImportHolds1764200000000,
];
