import { CreateConnectors1763856100000 } from './1763856100000-create-connectors.js';
import { ConnectorConfiguration1763900000000 } from './1763900000000-connector-configuration.js';

export const connectorMigrations = [CreateConnectors1763856100000, ConnectorConfiguration1763900000000];
