import type { ApiKeyService, CreatedKey } from './api-key.service.js';

export const DEFAULT_ORGANIZATION_ID = 'default';

export interface BootstrapSettings {
  BOOTSTRAP_ORG_ID?: string | undefined;
  BOOTSTRAP_API_KEY?: string | undefined;
}

/**
 * Makes sure somebody can call the API: the configured organization and key exist, or, on a fresh
 * database with no key at all, a default organization with a generated key (returned to print once).
 */
export async function ensureBootstrapAccess(
  apiKeys: ApiKeyService,
  settings: BootstrapSettings,
): Promise<CreatedKey | null> {
  if (settings.BOOTSTRAP_ORG_ID && settings.BOOTSTRAP_API_KEY) {
    await apiKeys.create(settings.BOOTSTRAP_ORG_ID, 'bootstrap', settings.BOOTSTRAP_API_KEY);
    return null;
  }
  if (await apiKeys.hasAnyKey()) return null;
  return apiKeys.create(DEFAULT_ORGANIZATION_ID, 'bootstrap');
}
