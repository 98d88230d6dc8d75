import { CreateImportJobs1763856200000 } from './1763856200000-create-import-jobs.js';

export const importMigrations = [CreateImportJobs1763856200000];
