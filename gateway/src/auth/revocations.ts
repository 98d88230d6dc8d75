import { IDENTITY_HEADER, verifyIdentity, type Logger } from '@uif/runtime';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import type { Authenticator } from './authenticator.js';

const revocation = z.object({
  organizationId: z.string().min(1).max(64),
  apiKeyId: z.string().min(1).max(64),
});

/**
 * POST REVOKED_API_KEYS_PATH, from `pnpm keys revoke` (signed as a service): the key is forgotten
 * at once and its sockets closed, instead of living on for AUTH_CACHE_SECONDS.
 */
export function revokedKeysRoute(
  authenticator: Authenticator,
  internalSecret: string,
  log: Logger,
): RequestHandler[] {
  return [
    express.json({ limit: '1kb' }),
    (req, res) => {
      if (verifyIdentity(req.header(IDENTITY_HEADER), internalSecret)?.kind !== 'service') {
        res.status(401).json({ error: 'only our services may report a revoked key' });
        return;
      }
      const parsed = revocation.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: 'expected { organizationId, apiKeyId }' });
        return;
      }
      authenticator.revoked(parsed.data.apiKeyId);
      log.info(parsed.data, 'an API key was revoked: forgotten, its connections closed');
      res.status(204).end();
    },
  ];
}
