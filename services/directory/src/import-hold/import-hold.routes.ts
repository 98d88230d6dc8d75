import { IMPORT_HOLDS_PATH } from '@uif/directory-client';
import type { Router } from '@uif/subgraph';
import type { ImportHoldService } from './import-hold.service.js';

/** POST /internal/import-holds: the import service records a held job, its approval or cancellation. */
export function mountImportHoldRoutes(router: Router, holds: ImportHoldService): void {
  router.post(IMPORT_HOLDS_PATH.replace(/^\/internal/, ''), async (req, res) => {
    await holds.record(req.body);
    res.json({ recorded: true });
  });
}
