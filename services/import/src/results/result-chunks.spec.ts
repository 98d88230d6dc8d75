import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportOutcome } from '../import-job/import-job.types.js';
import type { ImportResultChunk, StoredResult } from './import-result.entity.js';
import {
  CHUNK_TEXT,
  chunksOf,
  RESULTS_PER_CHUNK,
  resultsInOrder,
  type ChunkReader,
} from './result-chunks.js';

/** FUZZ_SEED=<n> replays a run; otherwise the seed is random and fast-check prints it on failure. */
const seed = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };

const OUTCOMES = Object.values(ImportOutcome);

const result = (seq: number, outcome: ImportOutcome, detail: string | null = null): StoredResult => ({
  seq,
  externalId: `ext-${seq}`,
  email: `user${seq}@example.com`,
  username: null,
  outcome,
  detail,
  userId: outcome === ImportOutcome.FAILED ? null : `user-${seq}`,
  changes: null,
});

/** The stored chunks, read as the service reads them from the database. */
function reader(chunks: ImportResultChunk[], afterSeq: number, outcome: ImportOutcome | null): ChunkReader {
  return async (afterFirstSeq, limit) =>
    chunks
      .filter((chunk) => chunk.firstSeq > afterFirstSeq && chunk.lastSeq > afterSeq)
      .filter((chunk) => outcome === null || chunk.outcome === outcome)
      .sort((a, b) => a.firstSeq - b.firstSeq)
      .slice(0, limit);
}

async function read(chunks: ImportResultChunk[], afterSeq: number, outcome: ImportOutcome | null = null) {
  const read: StoredResult[] = [];
  for await (const stored of resultsInOrder(reader(chunks, afterSeq, outcome), afterSeq)) read.push(stored);
  return read;
}

describe('result chunks', () => {
  it('hold one outcome each, at most RESULTS_PER_CHUNK results, from first to last seq', () => {
    const results = Array.from({ length: 2_500 }, (_, seq) =>
      result(seq, seq % 10 === 0 ? ImportOutcome.FAILED : ImportOutcome.UNCHANGED),
    );
    const chunks = chunksOf('job-1', results);

    expect(
      chunks.map(({ outcome, count, firstSeq, lastSeq }) => [outcome, count, firstSeq, lastSeq]),
    ).toEqual([
      [ImportOutcome.FAILED, 250, 0, 2_490],
      [ImportOutcome.UNCHANGED, 1_000, 1, 1_111],
      [ImportOutcome.UNCHANGED, 1_000, 1_112, 2_222],
      [ImportOutcome.UNCHANGED, 250, 2_223, 2_499],
    ]);
    expect(chunks.every((chunk) => chunk.results.length === chunk.count && chunk.jobId === 'job-1')).toBe(
      true,
    );
  });

  it('cut where their text would grow past CHUNK_TEXT: a few failed users with long details each', () => {
    const detail = 'x'.repeat(CHUNK_TEXT / 4);
    const chunks = chunksOf(
      'job-1',
      Array.from({ length: 10 }, (_, seq) => result(seq, ImportOutcome.FAILED, detail)),
    );

    expect(chunks.map((chunk) => chunk.count)).toEqual([3, 3, 3, 1]);
    expect(RESULTS_PER_CHUNK).toBeGreaterThan(3);
  });

  it('are read back in seq order, from any cursor and of any outcome, however stored groups interleave', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...OUTCOMES), { minLength: 1, maxLength: 400 }),
        // Where each stored call starts (a fetch group's finals, then an apply batch's results…).
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.option(fc.constantFrom(...OUTCOMES), { nil: null }),
        async (outcomes, cuts, cursor, outcome) => {
          const all = outcomes.map((each, seq) => result(seq, each));
          // Results of one stretch of the listing are stored at different times: the outcomes
          // decided while reading first, those of applied changes later, each a chunk of its own.
          const chunks: ImportResultChunk[] = [];
          for (let start = 0, i = 0; start < all.length; start += cuts[i++ % cuts.length]!) {
            const stretch = all.slice(start, start + cuts[i % cuts.length]!);
            const decided = stretch.filter((each) => each.outcome === ImportOutcome.UNCHANGED);
            chunks.push(...chunksOf('job-1', decided));
            chunks.push(
              ...chunksOf(
                'job-1',
                stretch.filter((each) => !decided.includes(each)),
              ),
            );
          }
          const afterSeq = (cursor % (all.length + 1)) - 1;
          const expected = all.filter(
            (each) => each.seq > afterSeq && (!outcome || each.outcome === outcome),
          );

          expect(await read(chunks, afterSeq, outcome)).toEqual(expected);
        },
      ),
      { ...seed, numRuns: 200 },
    );
  });
});
