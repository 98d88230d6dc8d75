import {
  CONNECTORS_PATH,
  MAX_IDS_PER_READ,
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
const pageRequest = z.object({
  offset: z.number().int().min(0),
  index: z.number().int().min(0).optional(),
  next: z.string().max(65_536).nullable().optional(),
  query: z.string().max(2048).nullable(),
  // Absent from an import service older than this one: the connector's own size then.
  pageSize: z.number().int().min(1).max(1000).optional(),
});
const idsRequest = z.object({
  externalIds: z.array(z.string().min(1).max(255)).min(1).max(MAX_IDS_PER_READ),
});

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
  router.post(`${ROUTE}/:id/user-pages`, async (req, res) => {
    const { organizationId } = scope.parse(req.query);
    const { offset, index, next, query, pageSize } = pageRequest.parse(req.body);
    const position = { offset, index, next: next ?? null };
    const page = await connectors.userPage(organizationId, req.params.id, position, query, pageSize);
    res.json(page satisfies ProviderUserPage);
  });
  router.post(`${ROUTE}/:id/users-by-id`, async (req, res) => {
    const { organizationId } = scope.parse(req.query);
    const { externalIds } = idsRequest.parse(req.body);
    const found = await connectors.usersById(organizationId, req.params.id, externalIds);
    res.json(found satisfies ProviderUsersById);
  });
}
