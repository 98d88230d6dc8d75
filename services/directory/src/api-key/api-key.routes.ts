import { AUTHENTICATE_PATH, authenticateRequestSchema } from '@uif/directory-client';
import type { Router } from '@uif/subgraph';
import type { ApiKeyService } from './api-key.service.js';

/** The gateway asks here whether an x-api-key is valid for an x-org-id. */
export function mountApiKeyRoutes(router: Router, apiKeys: ApiKeyService): void {
  router.post(AUTHENTICATE_PATH.replace(/^\/internal/, ''), async (req, res) => {
    const credentials = authenticateRequestSchema.safeParse(req.body);
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
