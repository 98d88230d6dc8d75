import { USER_BATCH_PATH } from '@uif/directory-client';
import { DomainError } from '@uif/runtime';
import type { Router } from '@uif/subgraph';
import { ZodError } from 'zod';
import type { UserBatchService } from './user-batch.service.js';

const ROUTE = USER_BATCH_PATH.replace(/^\/internal/, '');

/** POST /internal/user-batches: the import service's way to write users. */
export function mountUserBatchRoutes(router: Router, batches: UserBatchService): void {
  router.post(ROUTE, async (req, res) => {
    try {
      res.json(await batches.apply(req.body));
    } catch (error) {
      if (error instanceof ZodError) {
        res
          .status(400)
          .json({ error: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        return;
      }
      if (error instanceof DomainError && error.code === 'NOT_FOUND') {
        res.status(404).json({ error: error.message });
        return;
      }
      throw error;
    }
  });
}
