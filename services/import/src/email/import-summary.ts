/** What the "User Import Complete" email says about one finished import job. */
export interface ImportSummary {
  jobId: string;
  connectorName: string;
  trigger: 'MANUAL' | 'SCHEDULED';
  status: 'SUCCEEDED' | 'PARTIAL' | 'FAILED' | 'CANCELLED';
  startedAt: Date;
  finishedAt: Date;
  counts: {
    fetched: number;
    created: number;
    updated: number;
    suspended: number;
    reactivated: number;
    unchanged: number;
    skipped: number;
    failed: number;
  };
  resultsUrl: string | null;
  error: string | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Counts = ImportSummary['counts'];

const COUNT_LABELS: [keyof Counts, string][] = [
  ['fetched', 'Fetched'],
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['suspended', 'Suspended'],
  ['reactivated', 'Reactivated'],
  ['unchanged', 'Unchanged'],
  ['skipped', 'Skipped'],
  ['failed', 'Failed'],
];

const STATUS_NOTES: Record<ImportSummary['status'], string> = {
  SUCCEEDED: 'every user was processed',
  PARTIAL: 'finished, but some users failed',
  FAILED: 'the import stopped with an error',
  CANCELLED: 'the import was cancelled',
};

const TRIGGER_LABELS: Record<ImportSummary['trigger'], string> = {
  MANUAL: 'manual',
  SCHEDULED: 'scheduled',
};

const NO_RESULTS = 'No per-user results are available for this import.';

/** e.g. "2026-11-23 14:05:09 UTC": the contract promises UTC timestamps that say so. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Connector names are user input: a line break in a header would forge headers, so fold all whitespace. */
function singleLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function subjectOf(summary: ImportSummary): string {
  return `User Import Complete: ${singleLine(summary.connectorName)}`;
}

function statusLine(summary: ImportSummary): string {
  return `${summary.status} (${STATUS_NOTES[summary.status]})`;
}

/** The facts both bodies show, in order, as label/value pairs. */
function facts(summary: ImportSummary): [string, string][] {
  return [
    ['Connector', singleLine(summary.connectorName)],
    ['Status', statusLine(summary)],
    ['Trigger', TRIGGER_LABELS[summary.trigger]],
    ['Started', formatUtc(summary.startedAt)],
    ['Finished', formatUtc(summary.finishedAt)],
    ['Job ID', summary.jobId],
  ];
}

function countRows(counts: Counts): [string, string][] {
  return COUNT_LABELS.map(([key, label]) => [label, String(counts[key])]);
}

export function renderImportSummary(summary: ImportSummary): RenderedEmail {
  return {
    subject: subjectOf(summary),
    text: renderText(summary),
    html: renderHtml(summary),
  };
}

function renderText(summary: ImportSummary): string {
  const labelled = (pairs: [string, string][]): string[] =>
    pairs.map(([label, value]) => `${`${label}:`.padEnd(13)}${value}`);
  const lines = [
    `The user import from "${summary.connectorName}" is complete.`,
    '',
    ...labelled(facts(summary)),
    ...(summary.error ? [`${'Error:'.padEnd(13)}${summary.error}`] : []),
    '',
    'Users',
    ...labelled(countRows(summary.counts)).map((line) => `  ${line}`),
    '',
    summary.resultsUrl ? `Download the per-user results (CSV): ${summary.resultsUrl}` : NO_RESULTS,
  ];
  return `${lines.join('\n')}\n`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

function htmlRows(pairs: [string, string][]): string {
  return pairs
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding:2px 16px 2px 0">${escapeHtml(label)}</th>` +
        `<td style="padding:2px 0">${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
}

/** Only an http(s) URL becomes a link: anything else (e.g. `javascript:`) would be clickable script. */
function resultsHtml(resultsUrl: string | null): string {
  if (!resultsUrl) return `<p>${escapeHtml(NO_RESULTS)}</p>`;
  const url = escapeHtml(resultsUrl);
  if (!/^https?:\/\//i.test(resultsUrl)) return `<p>Per-user results (CSV): ${url}</p>`;
  return `<p><a href="${url}">Download the per-user results (CSV)</a><br>${url}</p>`;
}

function renderHtml(summary: ImportSummary): string {
  const errorRows = summary.error ? htmlRows([['Error', summary.error]]) : '';
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subjectOf(summary))}</title></head>`,
    '<body style="font-family:sans-serif;font-size:14px;color:#222">',
    `<p>The user import from <strong>${escapeHtml(summary.connectorName)}</strong> is complete.</p>`,
    `<table>\n${htmlRows(facts(summary))}\n${errorRows}</table>`,
    '<h3>Users</h3>',
    `<table>\n${htmlRows(countRows(summary.counts))}\n</table>`,
    resultsHtml(summary.resultsUrl),
    '</body></html>',
    '',
  ].join('\n');
}
