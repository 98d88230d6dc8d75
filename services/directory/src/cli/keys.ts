import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REVOKED_API_KEYS_PATH, type RevokedApiKey } from '@uif/directory-client';
import { configFields, DomainError, loadConfig, serviceHeaders } from '@uif/runtime';
import { z } from 'zod';
import { ApiKeyService, type ApiKeyListing } from '../api-key/api-key.service.js';
import { openDirectoryDatabase } from '../database.js';

const USAGE = `usage: pnpm keys create --org <organization id> --label <label>
       pnpm keys list --org <organization id>
       pnpm keys revoke --org <organization id> (--id <key id> | --label <label>)`;

const config = loadConfig(
  'keys',
  z.object({
    DATABASE_URL: configFields.databaseUrl,
    DATA_DIR: configFields.dataDir,
    INTERNAL_SECRET: configFields.internalSecret.optional(),
    PORT: configFields.port('PORT'),
    /** The gateways to tell of a revocation, comma-separated. */
    GATEWAY_URL: z.string().optional(),
  }),
);

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { org: { type: 'string' }, label: { type: 'string' }, id: { type: 'string' } },
});
const command = positionals[0];
const valid =
  values.org &&
  ((command === 'create' && values.label) ||
    command === 'list' ||
    (command === 'revoke' && Boolean(values.id) !== Boolean(values.label)));
if (!valid) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const org = values.org!;

const describe = (key: ApiKeyListing) =>
  [
    key.id,
    key.prefix + '…',
    JSON.stringify(key.label),
    key.createdAt.toISOString(),
    key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'live',
  ].join('  ');

/** The secret the gateway checks: the one it was given, or the one `pnpm start` generated. */
function internalSecret(): string | null {
  if (config.INTERNAL_SECRET) return config.INTERNAL_SECRET;
  const file = join(config.DATA_DIR, 'internal-secret');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

/**
 * Tells each gateway at once, so it forgets the key and closes its sockets; a gateway not told
 * (not running, unreachable) still stops accepting the key within AUTH_CACHE_SECONDS.
 */
async function tellGateways(key: ApiKeyListing): Promise<void> {
  const secret = internalSecret();
  const gateways = (config.GATEWAY_URL ?? `http://127.0.0.1:${config.PORT}`)
    .split(',')
    .map((url) => url.trim());
  for (const gateway of gateways) {
    const told = secret
      ? await fetch(new URL(REVOKED_API_KEYS_PATH, gateway), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...serviceHeaders('keys', secret) },
          body: JSON.stringify({
            organizationId: key.organizationId,
            apiKeyId: key.id,
          } satisfies RevokedApiKey),
        })
          .then((response) => response.ok)
          .catch(() => false)
      : false;
    process.stdout.write(
      told
        ? `The gateway at ${gateway} dropped the key and closed its connections.\n`
        : `The gateway at ${gateway} was not reached: it refuses the key within AUTH_CACHE_SECONDS.\n`,
    );
  }
}

const dataSource = await openDirectoryDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
});
try {
  const keys = new ApiKeyService(dataSource);
  if (command === 'create') {
    const created = await keys.create(org, values.label!);
    if (created.createdOrganization) process.stdout.write(`Created organization ${created.organizationId}\n`);
    process.stdout.write(`${created.apiKey}\n`);
  } else if (command === 'list') {
    for (const key of await keys.list(org)) process.stdout.write(`${describe(key)}\n`);
  } else {
    const revoked = await keys.revoke(org, values.id ? { id: values.id } : { label: values.label! });
    process.stdout.write(`${describe(revoked)}\n`);
    await tellGateways(revoked);
  }
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
} finally {
  await dataSource.destroy();
}
