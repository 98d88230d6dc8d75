import type { DataSource } from 'typeorm';
import { Connector } from './connector.entity.js';

export class ConnectorService {
  constructor(private readonly dataSource: DataSource) {}

  list(organizationId: string): Promise<Connector[]> {
    return this.dataSource
      .getRepository(Connector)
      .find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }
}
