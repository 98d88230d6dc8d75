import { checkPageSize } from '@uif/subgraph';
import type { DataSource } from 'typeorm';
import { ImportJob } from './import-job.entity.js';

export class ImportJobService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first. */
  list(organizationId: string, connectorId: string | undefined, first: number): Promise<ImportJob[]> {
    checkPageSize(first);
    return this.dataSource.getRepository(ImportJob).find({
      where: { organizationId, ...(connectorId ? { connectorId } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: first,
    });
  }
}
