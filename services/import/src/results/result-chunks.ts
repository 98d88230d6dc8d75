import { ImportResultChunk, type ChunkedResult, type StoredResult } from './import-result.entity.js';

/** Most results in one chunk. */
export const RESULTS_PER_CHUNK = 1000;
/**
 * Most characters of text in one chunk (long details of failed users): even at 6 bytes a character
 * (JSON's \u escapes) its row stays under MySQL's smallest packet limit (4 MB).
 */
export const CHUNK_TEXT = 256_000;

/** Chunks read at once when results are read back in order. */
const CHUNKS_PER_READ = 4;

/** `results` as chunks of the job: one outcome each, in seq order, within RESULTS_PER_CHUNK and CHUNK_TEXT. */
export function chunksOf(jobId: string, results: readonly StoredResult[]): ImportResultChunk[] {
  /** The chunk being filled for each outcome, with the text it holds so far. */
  const open = new Map<string, { chunk: ImportResultChunk; text: number }>();
  const chunks: ImportResultChunk[] = [];
  // Mostly in order already (a group or batch of the listing): sorting them costs a pass.
  for (const { seq, externalId, email, username, outcome, detail, userId, changes } of [...results].sort(
    (a, b) => a.seq - b.seq,
  )) {
    // Named, not a rest spread: this runs for every user of an import.
    const result: ChunkedResult = { seq, externalId, email, username, detail, userId, changes };
    const text = textOf(result);
    let filling = open.get(outcome);
    if (!filling || filling.chunk.count === RESULTS_PER_CHUNK || filling.text + text > CHUNK_TEXT) {
      const chunk = Object.assign(new ImportResultChunk(), {
        jobId,
        firstSeq: seq,
        lastSeq: seq,
        outcome,
        count: 0,
        results: [],
      });
      filling = { chunk, text: 0 };
      open.set(outcome, filling);
      chunks.push(chunk);
    }
    filling.chunk.results.push(result);
    filling.chunk.lastSeq = seq;
    filling.chunk.count += 1;
    filling.text += text;
  }
  return chunks;
}

/** About the characters `result` takes in its chunk's JSON. */
function textOf({ externalId, email, username, detail, userId, changes }: ChunkedResult): number {
  const texts = [externalId, email, username, detail, userId].reduce(
    (sum, text) => sum + (text?.length ?? 0),
    0,
  );
  return 100 + texts + (changes ? JSON.stringify(changes).length : 0);
}

/**
 * Reads, in first-seq order, up to `limit` of the chunks wanted whose first seq is after
 * `afterFirstSeq` and which hold a result after the reading's starting seq.
 */
export type ChunkReader = (afterFirstSeq: number, limit: number) => Promise<ImportResultChunk[]>;

/**
 * The results after seq `afterSeq` of the chunks `read` gives, in seq order, a few chunks read at a
 * time. Chunks come by first seq and may interleave, but none read later starts before the last
 * one read: results up to that one's first seq are in their final order.
 */
export async function* resultsInOrder(read: ChunkReader, afterSeq: number): AsyncGenerator<StoredResult> {
  let waiting: StoredResult[] = [];
  let lastFirstSeq = -1;
  for (;;) {
    const chunks = await read(lastFirstSeq, CHUNKS_PER_READ);
    for (const { outcome, results } of chunks) {
      for (const result of results) if (result.seq > afterSeq) waiting.push({ ...result, outcome });
    }
    const complete = chunks.length < CHUNKS_PER_READ;
    lastFirstSeq = chunks.at(-1)?.firstSeq ?? lastFirstSeq;
    waiting.sort((a, b) => a.seq - b.seq);
    const settled = complete ? waiting.length : waiting.findIndex((result) => result.seq > lastFirstSeq);
    const ready = settled === -1 ? waiting.length : settled;
    yield* waiting.slice(0, ready);
    waiting = waiting.slice(ready);
    if (complete) return;
  }
}
