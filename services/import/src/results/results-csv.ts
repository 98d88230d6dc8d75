import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';

/** One user's line in the results CSV; the contract fixes the columns and their order. */
export interface ResultRow {
  externalId: string | null;
  email: string | null;
  username: string | null;
  outcome: string;
  detail: string | null;
  userId: string | null;
}

export const RESULTS_CSV_COLUMNS = [
  'externalId',
  'email',
  'username',
  'outcome',
  'detail',
  'userId',
] as const;

/**
 * Streams the rows as CSV, one line per user after the header. Rows are pulled only as fast as the
 * reader consumes the output, so a large import never sits in memory. A failing source destroys the
 * returned stream with its error.
 */
export function resultsCsv(rows: AsyncIterable<ResultRow>): Readable {
  const csv = stringify({
    header: true,
    columns: [...RESULTS_CSV_COLUMNS],
    // Values come from providers and admins: a leading =, +, -, @, tab or CR gets a ' so that a
    // spreadsheet shows the text instead of running it as a formula.
    escape_formulas: true,
  });
  pipeline(Readable.from(rows), csv, () => {
    // pipeline already hands any error to `csv`, whose reader sees it; nothing more to do here.
  });
  return csv;
}
