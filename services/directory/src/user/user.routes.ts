import { ACTIVE_LINKED_USERS_PATH, USER_MATCHES_PATH } from '@uif/directory-client';
import type { Router } from '@uif/subgraph';
import type { UserService } from './user.service.js';

/**
 * POST /internal/user-matches: which directory users the import's provider users are;
 * POST /internal/active-linked-users: a connector's active users.
 */
export function mountUserRoutes(router: Router, users: UserService): void {
  router.post(USER_MATCHES_PATH.replace(/^\/internal/, ''), async (req, res) => {
    res.json({ matches: await users.match(req.body) });
  });
  router.post(ACTIVE_LINKED_USERS_PATH.replace(/^\/internal/, ''), async (req, res) => {
    res.json({ users: await users.activeLinked(req.body) });
  });
}
