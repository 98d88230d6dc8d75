import {
  CONNECTORS_PATH,
  USER_LISTING_PATH,
  userListingRequestSchema,
  USERS_BY_ID_PATH,
  usersByIdRequestSchema,
  type ConnectorView,
  type ProviderUsersById,
} from '@uif/connector-client';
import { sendLines, type Router } from '@uif/subgraph';
import { z } from 'zod';
import { ConnectorKind, type Connector } from './connector.entity.js';
import type { ConnectorService } from './connector.service.js';
import { pagingOf } from '../provider/connection.service.js';

const ROUTE = CONNECTORS_PATH.replace(/^\/internal/, '');
const scope = z.object({ organizationId: z.string().min(1) });

/** Only the page size: how the provider pages is the connector's business alone. */
function pageSizeOf(connector: Connector): ConnectorView['paging'] {
  const paging = pagingOf(connector);
  return paging && { pageSize: paging.pageSize };
}

function view(connector: Connector): ConnectorView {
  return {
    id: connector.id,
    organizationId: connector.organizationId,
    displayLabel: connector.displayLabel,
    kind: connector.kind,
    state: connector.state,
    authorized: connector.authorized,
    mapping: connector.mapping,
    paging: pageSizeOf(connector),
    readsById: connector.kind === ConnectorKind.SCIM,
  };
}

/**
 * For the import service: a connector without its secrets, and its provider's users page by page
 * (the credentials never leave this service).
 */
export function mountConnectorRoutes(router: Router, connectors: ConnectorService): void {
  router.get(`${ROUTE}/:id`, async (req, res) => {
    const { organizationId } = scope.parse(req.query);
    res.json(view(await connectors.get(organizationId, req.params.id)));
  });
  router.post(`${ROUTE}/:id${USER_LISTING_PATH}`, async (req, res) => {
    const { organizationId } = scope.parse(req.query);
    const request = userListingRequestSchema.parse(req.body);
    await sendLines(res, connectors.userListing(organizationId, req.params.id, request));
  });
  router.post(`${ROUTE}/:id${USERS_BY_ID_PATH}`, async (req, res) => {
    const { organizationId } = scope.parse(req.query);
    const { externalIds } = usersByIdRequestSchema.parse(req.body);
    const found = await connectors.usersById(organizationId, req.params.id, externalIds);
    res.json(found satisfies ProviderUsersById);
  });
}
