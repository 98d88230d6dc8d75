import { checkPageSize, decodeCursor, toPage, type PageInfo } from '@uif/subgraph';
import { MoreThan, type DataSource } from 'typeorm';
import type { ImportOutcome, ImportResult } from '../import-job/import-job.types.js';
import type { ResultRow } from './results-csv.js';
import { ImportJob } from '../import-job/import-job.entity.js';
import { ImportResultChunk, type StoredResult } from './import-result.entity.js';
import { resultsInOrder, type ChunkReader } from './result-chunks.js';

export interface ResultPage {
  totalCount: number;
  nodes: ImportResult[];
  pageInfo: PageInfo;
}

function toResult(stored: StoredResult): ImportResult {
  return {
    externalId: stored.externalId,
    email: stored.email,
    username: stored.username,
    outcome: stored.outcome,
    detail: stored.detail,
    user: stored.userId ? { id: stored.userId } : null,
    changes: stored.changes ?? [],
  };
}

/** The per-user results of a job, in the order the provider listed the users. */
export class ImportResultService {
  constructor(private readonly dataSource: DataSource) {}

  private get chunks() {
    return this.dataSource.getRepository(ImportResultChunk);
  }

  async page(
    jobId: string,
    first: number,
    after: string | null | undefined,
    outcome: ImportOutcome | null | undefined,
  ): Promise<ResultPage> {
    checkPageSize(first);
    const afterSeq = after ? Number(decodeCursor(after)) : -1;
    const [rows, totalCount] = await Promise.all([
      first === 0 ? Promise.resolve([]) : firstOf(first + 1, this.stored(jobId, afterSeq, outcome)),
      this.chunks.sum('count', { jobId, ...(outcome ? { outcome } : {}) }),
    ]);
    const page = toPage(rows, first, (row) => String(row.seq));
    return { totalCount: totalCount ?? 0, nodes: page.nodes.map(toResult), pageInfo: page.pageInfo };
  }

  /** Whether the job's results are a dry run's (its download says so). */
  async isDryRun(jobId: string): Promise<boolean> {
    return this.dataSource.getRepository(ImportJob).exists({ where: { id: jobId, dryRun: true } });
  }

  /** Every result of a job, a few chunks read at a time (for the CSV download). */
  async *all(jobId: string): AsyncGenerator<ResultRow> {
    for await (const { externalId, email, username, outcome, detail, userId } of this.stored(
      jobId,
      -1,
      null,
    )) {
      yield { externalId, email, username, outcome, detail, userId };
    }
  }

  /** The job's results after seq `afterSeq` in seq order, of one outcome when given. */
  private stored(jobId: string, afterSeq: number, outcome: ImportOutcome | null | undefined) {
    const read: ChunkReader = (afterFirstSeq, limit) =>
      this.chunks.find({
        where: {
          jobId,
          firstSeq: MoreThan(afterFirstSeq),
          lastSeq: MoreThan(afterSeq),
          ...(outcome ? { outcome } : {}),
        },
        order: { firstSeq: 'ASC' },
        take: limit,
      });
    return resultsInOrder(read, afterSeq);
  }
}

/** The first `count` items (fewer if it ends), the rest left unread. */
async function firstOf<T>(count: number, items: AsyncIterable<T>): Promise<T[]> {
  const taken: T[] = [];
  for await (const item of items) {
    taken.push(item);
    if (taken.length === count) break;
  }
  return taken;
}
