import { ORGANIZATIONS_PATH, type OrganizationView } from '@uif/directory-client';
import type { Router } from '@uif/subgraph';
import type { OrganizationService } from './organization.service.js';

/** GET /internal/organizations/:id: what the import service needs (license limit, email recipients). */
export function mountOrganizationRoutes(router: Router, organizations: OrganizationService): void {
  router.get(`${ORGANIZATIONS_PATH.replace(/^\/internal/, '')}/:id`, async (req, res) => {
    const { id, name, notificationEmails, userLicenseLimit } = await organizations.get(req.params.id);
    res.json({ id, name, notificationEmails, userLicenseLimit } satisfies OrganizationView);
  });
}
