import { CONNECTOR_EVENTS_PATH, connectorEventSchema } from '@uif/connector-client';
import type { Router } from '@uif/subgraph';
import type { ImportScheduleService } from './import-schedule.service.js';

/**
 * POST /internal/connector-events: the connector service tells the import service that a connector
 * was activated (it gets its default hourly schedule) or deactivated (its schedule goes; a running
 * job stops on its own at its next page or batch).
 */
export function mountConnectorEventRoutes(router: Router, schedules: ImportScheduleService): void {
  router.post(CONNECTOR_EVENTS_PATH.replace(/^\/internal/, ''), async (req, res) => {
    const { organizationId, connectorId, event, kind } = connectorEventSchema.parse(req.body);
    if (event === 'deactivated') await schedules.delete(organizationId, connectorId);
    // A SCIM connector gets no default schedule (its admins pick the new users to import), and keeps
    // one an admin set when it is activated again.
    else if (kind !== 'SCIM') await schedules.ensureDefault(organizationId, connectorId);
    res.json({ ok: true });
  });
}
