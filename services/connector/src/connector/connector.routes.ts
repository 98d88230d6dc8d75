import {
  CONNECTORS_PATH,
  USER_PAGES_PATH,
  userPageRequestSchema,
  USERS_BY_ID_PATH,
  usersByIdRequestSchema,
  type ConnectorView,
  type ProviderUserPage,
  type ProviderUsersById,
} from '@uif/connector-client';
import type { Router } from '@uif/subgraph';
import { z } from 'zod';
import { ConnectorKind, type Connector } from './connector.entity.js';
import type { ConnectorService } from './connector.service.js';
import { scimPageSize } from '../provider/connection.service.js';

const ROUTE = CONNECTORS_PATH.replace(/^\/internal/, '');
const scope = z.object({ organizationId: z.string().min(1) });

function view(connector: Connector): ConnectorView {
  return {
    id: connector.id,
    organizationId: connector.organizationId,
    displayLabel: connector.displayLabel,
    kind: connector.kind,
    state: connector.state,
    authorized: connector.authorized,
    mapping: connector.mapping,
    paging: pagingOf(connector),
    readsById: connector.kind === ConnectorKind.SCIM,
  };
}

function pagingOf(connector: Connector): ConnectorView['paging'] {
  if (connector.kind === ConnectorKind.SCIM)
    return { pageSize: scimPageSize(connector), offsetParam: 'startIndex' };
  const { listUsers } = connector;
  if (!listUsers) return null;
  const { pageSize, offsetParam, pagination } = listUsers;
  return { pageSize, offsetParam: offsetParam || null, pagination };
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
  router.post(`${ROUTE}/:id${USER_PAGES_PATH}`, async (req, res) => {
    const { organizationId } = scope.parse(req.query);
    const { offset, index, next, query, pageSize } = userPageRequestSchema.parse(req.body);
    const position = { offset, index, next: next ?? null };
    const page = await connectors.userPage(organizationId, req.params.id, position, query, pageSize);
    res.json(page satisfies ProviderUserPage);
  });
  router.post(`${ROUTE}/:id${USERS_BY_ID_PATH}`, async (req, res) => {
    const { organizationId } = scope.parse(req.query);
    const { externalIds } = usersByIdRequestSchema.parse(req.body);
    const found = await connectors.usersById(organizationId, req.params.id, externalIds);
    res.json(found satisfies ProviderUsersById);
  });
}
