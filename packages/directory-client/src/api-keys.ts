import { z } from 'zod';

/**
 * POST AuthenticateRequest, signed as a service: the gateway asks whether an x-api-key is valid for
 * an x-org-id. 200 with the AuthenticatedKey, or 401 when it is not.
 */
export const AUTHENTICATE_PATH = '/internal/authenticate';

export const authenticateRequestSchema = z.object({
  apiKey: z.string().min(1).max(512),
  organizationId: z.string().min(1).max(64),
});
export type AuthenticateRequest = z.infer<typeof authenticateRequestSchema>;

export const authenticatedKeySchema = z.object({
  organizationId: z.string(),
  apiKeyId: z.string(),
  label: z.string(),
});
export type AuthenticatedKey = z.infer<typeof authenticatedKeySchema>;

/**
 * The other way, served by every gateway: POST RevokedApiKey from `pnpm keys revoke` (signed as a
 * service), and the gateway forgets the key at once and closes the key's subscription sockets.
 */
export const REVOKED_API_KEYS_PATH = '/internal/revoked-api-keys';

export const revokedApiKeySchema = z.object({
  organizationId: z.string().min(1).max(64),
  apiKeyId: z.string().min(1).max(64),
});
export type RevokedApiKey = z.infer<typeof revokedApiKeySchema>;
