import { configFields } from '@uif/runtime';
import { serviceConfigFields } from '@uif/subgraph';
import { z } from 'zod';

export const connectorConfigSchema = z.object({
  ...serviceConfigFields,
  CONNECTOR_PORT: configFields.port(4002),
});

export type ConnectorConfig = z.output<typeof connectorConfigSchema>;
