import { loadConfig, runService } from '@uif/runtime';
import { startDirectory } from './app.js';
import { directoryConfigSchema } from './config.js';

const config = loadConfig('directory', directoryConfigSchema);
await runService('directory', config.LOG_LEVEL, async (log) => {
  const directory = await startDirectory(config, { log });
  if (directory.generatedKey) {
    const { organizationId, apiKey } = directory.generatedKey;
    process.stdout.write(
      `\nCreated organization "${organizationId}" with an API key (shown only this once; keep it):\n` +
        `  x-org-id:  ${organizationId}\n  x-api-key: ${apiKey}\n\n`,
    );
  }
  return directory;
});
