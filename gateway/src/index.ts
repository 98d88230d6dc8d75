import { loadConfig, runService } from '@uif/runtime';
import { gatewayConfigSchema, startGateway } from './app.js';

const config = loadConfig('gateway', gatewayConfigSchema);
await runService('gateway', config.LOG_LEVEL, (log) => startGateway(config, { log }));
