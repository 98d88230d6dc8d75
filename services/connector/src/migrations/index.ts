import { CreateConnectors1763856100000 } from './1763856100000-create-connectors.js';
import { ConnectorConfiguration1763900000000 } from './1763900000000-connector-configuration.js';
import { ScimPageSize1764000000000 } from './1764000000000-scim-page-size.js';
import { ExtraHeaders1764100000000 } from './1764100000000-extra-headers.js';

export const connectorMigrations = [
  CreateConnectors1763856100000,
  ConnectorConfiguration1763900000000,
  ScimPageSize1764000000000,
  ExtraHeaders1764100000000,
];
