import { checkPageSize, decodeCursor, toPage, type PageInfo } from '@uif/subgraph';
import { MoreThan, type DataSource } from 'typeorm';
import type { ImportOutcome, ImportResult } from '../import-job/import-job.types.js';
import type { ResultRow } from './results-csv.js';
import { ImportJob } from '../import-job/import-job.entity.js';
import { ImportResultRow } from './import-result.entity.js';

export interface ResultPage {
  totalCount: number;
  nodes: ImportResult[];
  pageInfo: PageInfo;
}

const STREAM_CHUNK = 1000;

function toResult(row: ImportResultRow): ImportResult {
  return {
    externalId: row.externalId,
    email: row.email,
    username: row.username,
    outcome: row.outcome,
    detail: row.detail,
    user: row.userId ? { id: row.userId } : null,
    changes: row.changes ?? [],
  };
}

/** The per-user results of a job, in the order the provider listed the users. */
export class ImportResultService {
  constructor(private readonly dataSource: DataSource) {}

  private get repository() {
    return this.dataSource.getRepository(ImportResultRow);
  }

  async page(
    jobId: string,
    first: number,
    after: string | null | undefined,
    outcome: ImportOutcome | null | undefined,
  ): Promise<ResultPage> {
    checkPageSize(first);
    const where = { jobId, ...(outcome ? { outcome } : {}) };
    const afterSeq = after ? Number(decodeCursor(after)) : -1;
    const [rows, totalCount] = await Promise.all([
      first === 0
        ? Promise.resolve([])
        : this.repository.find({
            where: { ...where, seq: MoreThan(afterSeq) },
            order: { seq: 'ASC' },
            take: first + 1,
          }),
      this.repository.countBy(where),
    ]);
    const page = toPage(rows, first, (row) => String(row.seq));
    return { totalCount, nodes: page.nodes.map(toResult), pageInfo: page.pageInfo };
  }

  /** Whether the job's results are a dry run's (its download says so). */
  async isDryRun(jobId: string): Promise<boolean> {
    return this.dataSource.getRepository(ImportJob).exists({ where: { id: jobId, dryRun: true } });
  }

  /** Every result of a job, read a chunk at a time (for the CSV download). */
  async *all(jobId: string): AsyncGenerator<ResultRow> {
    let after = -1;
    for (;;) {
      const rows = await this.repository.find({
        where: { jobId, seq: MoreThan(after) },
        order: { seq: 'ASC' },
        take: STREAM_CHUNK,
      });
      for (const row of rows) {
        yield {
          externalId: row.externalId,
          email: row.email,
          username: row.username,
          outcome: row.outcome,
          detail: row.detail,
          userId: row.userId,
        };
      }
      if (rows.length < STREAM_CHUNK) return;
      after = rows.at(-1)!.seq;
    }
  }
}
