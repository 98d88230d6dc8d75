import { USER_BATCH_PATH } from '@uif/directory-client';
import type { Router } from '@uif/subgraph';
import type { UserBatchService } from './user-batch.service.js';

const ROUTE = USER_BATCH_PATH.replace(/^\/internal/, '');

/** POST /internal/user-batches: the import service's way to write users. */
export function mountUserBatchRoutes(router: Router, batches: UserBatchService): void {
  router.post(ROUTE, async (req, res) => {
    res.json(await batches.apply(req.body));
  });
}
