import { describe, expect, it } from 'vitest';
import { resultsCsv, type ResultRow } from './results-csv.js';

const HEADER = 'externalId,email,username,outcome,detail,userId';

function row(overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    externalId: 'e-1',
    email: 'ada@example.test',
    username: 'ada',
    outcome: 'CREATED',
    detail: null,
    userId: 'u-1',
    ...overrides,
  };
}

async function* fromArray(rows: ResultRow[]): AsyncGenerator<ResultRow> {
  for (const value of rows) yield value;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

async function csvOf(rows: ResultRow[]): Promise<string> {
  return readAll(resultsCsv(fromArray(rows)));
}

describe('resultsCsv', () => {
  it('starts with the header, also when there are no rows', async () => {
    expect(await csvOf([])).toBe(`${HEADER}\n`);
  });

  it('writes one line per user in the contract column order, nulls as empty cells', async () => {
    const csv = await csvOf([
      row(),
      row({
        externalId: null,
        email: null,
        username: null,
        outcome: 'FAILED',
        detail: 'no email',
        userId: null,
      }),
    ]);
    expect(csv).toBe(`${HEADER}\ne-1,ada@example.test,ada,CREATED,,u-1\n,,,FAILED,no email,\n`);
  });

  it('quotes commas, quotes and line breaks', async () => {
    const csv = await csvOf([row({ detail: 'title: "Boss", was "Intern"\nsecond line', username: 'a,b' })]);
    expect(csv).toBe(
      `${HEADER}\ne-1,ada@example.test,"a,b",CREATED,"title: ""Boss"", was ""Intern""\nsecond line",u-1\n`,
    );
  });

  it('keeps unicode as it is', async () => {
    const csv = await csvOf([row({ username: 'Zoë Ångström 山田 🚀', detail: 'naïve' })]);
    expect(csv).toContain(',Zoë Ångström 山田 🚀,CREATED,naïve,');
  });

  it.each(['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\tindent', '\rreturn', '=HYPERLINK("http://evil.test","x")'])(
    'defuses a cell starting like a formula: %j',
    async (value) => {
      const csv = await csvOf([row({ detail: value, externalId: value })]);
      const defused = `'${value}`;
      // Quoted only when the defused value holds a quote, comma or line break, like any other cell.
      const cell = /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
      expect(csv).toBe(`${HEADER}\n${cell},ada@example.test,ada,CREATED,${cell},u-1\n`);
    },
  );

  it('leaves formula characters inside a value alone', async () => {
    expect(await csvOf([row({ detail: 'a=b+c-d@e' })])).toContain(',a=b+c-d@e,');
  });

  it('streams 10,000 rows from an async generator without reading them all first', async () => {
    let produced = 0;
    let producedAtFirstChunk: number | undefined;
    async function* manyRows(): AsyncGenerator<ResultRow> {
      for (let index = 0; index < 10_000; index += 1) {
        produced += 1;
        yield row({ externalId: `e-${index}`, userId: `u-${index}` });
      }
    }

    let text = '';
    for await (const chunk of resultsCsv(manyRows())) {
      producedAtFirstChunk ??= produced;
      text += String(chunk);
    }

    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(10_001);
    expect(lines[0]).toBe(HEADER);
    expect(lines[10_000]).toBe('e-9999,ada@example.test,ada,CREATED,,u-9999');
    // Bounded by the streams' buffers (a few hundred rows), not by the size of the source.
    expect(producedAtFirstChunk).toBeLessThan(2_000);
  });

  it('stops reading the source when the reader gives up', async () => {
    let finished = false;
    async function* endless(): AsyncGenerator<ResultRow> {
      try {
        for (let index = 0; ; index += 1) yield row({ externalId: `e-${index}` });
      } finally {
        finished = true;
      }
    }
    const stream = resultsCsv(endless());
    for await (const _chunk of stream) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(true);
  });

  it('fails the stream when the source fails', async () => {
    async function* failing(): AsyncGenerator<ResultRow> {
      yield row();
      throw new Error('database went away');
    }
    await expect(readAll(resultsCsv(failing()))).rejects.toThrow('database went away');
  });
});
