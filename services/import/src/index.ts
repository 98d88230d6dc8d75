import { loadConfig, runService } from '@uif/runtime';
import { importConfigSchema, startImport } from './app.js';

const config = loadConfig('import', importConfigSchema);
await runService('import', config.LOG_LEVEL, (log) => startImport(config, { log }));
