import type { Router } from '@uif/subgraph';
import { z } from 'zod';
import type { ApiKeyService } from './api-key.service.js';

export const AUTHENTICATE_PATH = '/authenticate';

const credentialsSchema = z.object({
  apiKey: z.string().min(1).max(512),
  organizationId: z.string().min(1).max(64),
});

/** The gateway asks here whether an x-api-key is valid for an x-org-id. */
export function mountApiKeyRoutes(router: Router, apiKeys: ApiKeyService): void {
  router.post(AUTHENTICATE_PATH, async (req, res) => {
    const credentials = credentialsSchema.safeParse(req.body);
    const key = credentials.success
      ? await apiKeys.authenticate(credentials.data.apiKey, credentials.data.organizationId)
      : null;
    if (!key) {
      res.status(401).json({ error: 'unknown API key for this organization' });
      return;
    }
    res.json(key);
  });
}
