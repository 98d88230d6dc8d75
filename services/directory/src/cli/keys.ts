import { parseArgs } from 'node:util';
import { configFields, loadConfig } from '@uif/runtime';
import { z } from 'zod';
import { ApiKeyService } from '../api-key/api-key.service.js';
import { openDirectoryDatabase } from '../database.js';

const USAGE = 'usage: pnpm keys create --org <organization id> --label <label>';

const config = loadConfig(
  'keys',
  z.object({ DATABASE_URL: configFields.databaseUrl, DATA_DIR: configFields.dataDir }),
);

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { org: { type: 'string' }, label: { type: 'string' } },
});
if (positionals[0] !== 'create' || !values.org || !values.label) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const dataSource = await openDirectoryDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
});
try {
  const created = await new ApiKeyService(dataSource).create(values.org, values.label);
  if (created.createdOrganization) process.stdout.write(`Created organization ${created.organizationId}\n`);
  process.stdout.write(`${created.apiKey}\n`);
} finally {
  await dataSource.destroy();
}
