import type { AuthSettings } from './connector.types.js';

/**
 * Where a connector's credentials go: the base URL's origin (scheme, host, port) and the origin of
 * every URL in its auth settings (token, revoke and authorization URLs, and any such URL an auth
 * method adds, by the `…Url` naming of its settings).
 */
export function credentialOrigins(baseUrl: string, settings: AuthSettings): Set<string> {
  const urls = Object.entries(settings)
    .filter(([name, value]) => name.endsWith('Url') && typeof value === 'string')
    .map(([, value]) => value as string);
  return new Set([baseUrl, ...urls].map((url) => new URL(url).origin));
}

/**
 * The origins `after` would send the stored credentials to that `before` did not: a secret may only
 * go to a new origin when it is given again in the same update.
 */
export function newCredentialOrigins(
  before: { baseUrl: string; authSettings: AuthSettings },
  after: { baseUrl: string; authSettings: AuthSettings },
): string[] {
  const known = credentialOrigins(before.baseUrl, before.authSettings);
  return [...credentialOrigins(after.baseUrl, after.authSettings)].filter((origin) => !known.has(origin));
}
