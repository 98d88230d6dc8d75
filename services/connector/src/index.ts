import { loadConfig, runService } from '@uif/runtime';
import { connectorConfigSchema, startConnector } from './app.js';

const config = loadConfig('connector', connectorConfigSchema);
await runService('connector', config.LOG_LEVEL, (log) => startConnector(config, { log }));
