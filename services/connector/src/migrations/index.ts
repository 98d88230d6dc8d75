import { CreateConnectors1763856100000 } from './1763856100000-create-connectors.js';

export const connectorMigrations = [CreateConnectors1763856100000];
