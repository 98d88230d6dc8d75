import { checkPageSize } from '@uif/subgraph';
import type { DataSource } from 'typeorm';
import { DirectoryEvent } from './directory-event.entity.js';

export interface EventFilter {
  userId?: string | undefined;
  connectorId?: string | undefined;
}

export class DirectoryEventService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first (ids are time-ordered). */
  list(organizationId: string, filter: EventFilter, first: number): Promise<DirectoryEvent[]> {
    checkPageSize(first);
    return this.dataSource.getRepository(DirectoryEvent).find({
      where: {
        organizationId,
        ...(filter.userId ? { userId: filter.userId } : {}),
        ...(filter.connectorId ? { connectorId: filter.connectorId } : {}),
      },
      order: { id: 'DESC' },
      take: first,
    });
  }
}
