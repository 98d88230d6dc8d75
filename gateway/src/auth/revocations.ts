import { revokedApiKeySchema, type RevokedApiKey } from '@uif/directory-client';
import { IDENTITY_HEADER, verifyIdentity, type Logger } from '@uif/runtime';
import express, { type RequestHandler } from 'express';
import { Redis } from 'ioredis';
import type { Authenticator } from './authenticator.js';

/** The Redis channel gateways sharing REDIS_URL hear revocations on. */
const CHANNEL = 'uif:revoked-api-keys';

/**
 * Spreads a revoked key to every gateway: this one at once, the others through Redis pub/sub when
 * REDIS_URL is set. Redis out of reach neither blocks the start nor the revocation: the other
 * gateways then refuse the key within AUTH_CACHE_SECONDS.
 */
export interface RevocationBus {
  announce(revoked: RevokedApiKey): Promise<void>;
  close(): Promise<void>;
}

export function revocationBus(
  authenticator: Authenticator,
  redisUrl: string | undefined,
  log: Logger,
): RevocationBus {
  const heard = (revoked: RevokedApiKey) => {
    authenticator.revoked(revoked.apiKeyId);
    log.info(revoked, 'an API key was revoked: forgotten, its connections closed');
  };
  if (!redisUrl) return { announce: async (revoked) => heard(revoked), close: async () => undefined };
  // No queue while disconnected: a publish fails at once instead of holding the request.
  const publisher = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(redisUrl);
  for (const client of [publisher, subscriber]) {
    client.on('error', (error: Error) => log.warn({ err: error }, 'revocations cannot reach Redis'));
  }
  // Sent once connected, and again after every reconnection (ioredis resubscribes).
  subscriber
    .subscribe(CHANNEL)
    .catch((error: unknown) => log.warn({ err: error }, 'revocations are not heard'));
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      heard(revokedApiKeySchema.parse(JSON.parse(message)));
    } catch (error) {
      log.warn({ err: error }, 'ignored a malformed revocation from Redis');
    }
  });
  return {
    async announce(revoked) {
      heard(revoked);
      await publisher
        .publish(CHANNEL, JSON.stringify(revoked))
        .catch((error: unknown) =>
          log.warn({ err: error }, 'the other gateways were not told of a revoked key'),
        );
    },
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

/**
 * POST REVOKED_API_KEYS_PATH, from `pnpm keys revoke` (signed as a service): the key is forgotten
 * at once and its sockets closed, on every gateway, instead of living on for AUTH_CACHE_SECONDS.
 */
export function revokedKeysRoute(bus: RevocationBus, internalSecret: string): RequestHandler[] {
  return [
    express.json({ limit: '1kb' }),
    async (req, res) => {
      if (verifyIdentity(req.header(IDENTITY_HEADER), internalSecret)?.kind !== 'service') {
        res.status(401).json({ error: 'only our services may report a revoked key' });
        return;
      }
      const parsed = revokedApiKeySchema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: 'expected { organizationId, apiKeyId }' });
        return;
      }
      await bus.announce(parsed.data);
      res.status(204).end();
    },
  ];
}
