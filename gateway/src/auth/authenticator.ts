import { createHash } from 'node:crypto';
import { AUTHENTICATE_PATH, authenticatedKeySchema, type AuthenticateRequest } from '@uif/directory-client';
import { serviceHeaders, UnauthenticatedError, type Identity } from '@uif/runtime';
import { LRUCache } from 'lru-cache';

export type MemberIdentity = Extract<Identity, { kind: 'member' }>;

/**
 * Checks x-api-key + x-org-id with the directory (which owns the keys) and remembers the answer
 * briefly, so a busy client costs the directory one check per key and period.
 */
export class Authenticator {
  private readonly cache: LRUCache<string, MemberIdentity | false>;
  private readonly revocationListeners: ((apiKeyId: string) => void)[] = [];

  constructor(
    private readonly directoryUrl: string,
    private readonly internalSecret: string,
    cacheSeconds: number,
  ) {
    this.cache = new LRUCache({ max: 10_000, ttl: Math.max(cacheSeconds, 1) * 1000 });
  }

  async authenticate(
    apiKey: string | undefined,
    organizationId: string | undefined,
  ): Promise<MemberIdentity> {
    if (!apiKey || !organizationId)
      throw new UnauthenticatedError('The x-api-key and x-org-id headers are required');
    const cacheKey = createHash('sha256').update(`${organizationId}\0${apiKey}`).digest('hex');
    let identity = this.cache.get(cacheKey);
    if (identity === undefined) {
      identity = await this.askDirectory(apiKey, organizationId);
      this.cache.set(cacheKey, identity);
    }
    if (!identity) throw new UnauthenticatedError('The API key is not valid for this organization');
    return identity;
  }

  /** Forgets a revoked key at once (its next use asks the directory) and tells the listeners. */
  revoked(apiKeyId: string): void {
    for (const [cacheKey, identity] of this.cache.entries()) {
      if (identity && identity.apiKeyId === apiKeyId) this.cache.delete(cacheKey);
    }
    for (const listener of this.revocationListeners) listener(apiKeyId);
  }

  /** `listener` hears of each revoked key (the subscription server closes that key's sockets). */
  onRevoked(listener: (apiKeyId: string) => void): void {
    this.revocationListeners.push(listener);
  }

  private async askDirectory(apiKey: string, organizationId: string): Promise<MemberIdentity | false> {
    const response = await fetch(new URL(AUTHENTICATE_PATH, this.directoryUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...serviceHeaders('gateway', this.internalSecret) },
      body: JSON.stringify({ apiKey, organizationId } satisfies AuthenticateRequest),
    });
    if (response.status === 401) return false;
    if (!response.ok) throw new Error(`The directory could not check the API key (HTTP ${response.status})`);
    const key = authenticatedKeySchema.parse(await response.json());
    return { kind: 'member', organizationId: key.organizationId, actor: key.label, apiKeyId: key.apiKeyId };
  }
}
