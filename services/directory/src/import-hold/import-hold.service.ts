import { importHoldRecordSchema } from '@uif/directory-client';
import { isDuplicateKeyError } from '@uif/database';
import { checkPageSize } from '@uif/subgraph';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ImportHold, ImportHoldKind } from './import-hold.entity.js';

export class ImportHoldService {
  constructor(private readonly dataSource: DataSource) {}

  private get repository() {
    return this.dataSource.getRepository(ImportHold);
  }

  /** Stores what the import service tells; a record of the same job and kind stays the first one. */
  async record(input: unknown): Promise<void> {
    const record = importHoldRecordSchema.parse(input);
    try {
      await this.repository.insert({ id: uuidv7(), ...record, kind: ImportHoldKind[record.kind] });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Newest first (ids are time-ordered). */
  list(organizationId: string, connectorId: string | undefined, first: number): Promise<ImportHold[]> {
    checkPageSize(first);
    return this.repository.find({
      where: { organizationId, ...(connectorId ? { connectorId } : {}) },
      order: { id: 'DESC' },
      take: first,
    });
  }
}
