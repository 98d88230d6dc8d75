import { CreateImportJobs1763856200000 } from './1763856200000-create-import-jobs.js';
import { ImportPipeline1763910000000 } from './1763910000000-import-pipeline.js';
import { ImportSchedules1763920000000 } from './1763920000000-import-schedules.js';
import { ImportPlanBatches1764000000000 } from './1764000000000-import-plan-batches.js';
import { DryRuns1764200000000 } from './1764200000000-dry-runs.js';
import { ImportBrakes1764300000000 } from './1764300000000-import-brakes.js';
import { SuspendMissingUsers1764400000000 } from './1764400000000-suspend-missing-users.js';
import { ResultChunks1764500000000 } from './1764500000000-result-chunks.js';

export const importMigrations = [
  CreateImportJobs1763856200000,
  ImportPipeline1763910000000,
  ImportSchedules1763920000000,
  ImportPlanBatches1764000000000,
  DryRuns1764200000000,
  ImportBrakes1764300000000,
  SuspendMissingUsers1764400000000,
  ResultChunks1764500000000,
];
