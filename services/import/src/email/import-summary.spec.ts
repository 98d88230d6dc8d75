import { describe, expect, it } from 'vitest';
import { formatUtc, renderImportSummary, type ImportSummary } from './import-summary.js';

const summary: ImportSummary = {
  jobId: 'job-42',
  connectorName: 'Acme HR',
  trigger: 'MANUAL',
  status: 'SUCCEEDED',
  startedAt: new Date('2026-11-23T14:05:09.123Z'),
  finishedAt: new Date('2026-11-23T15:00:01Z'),
  counts: {
    fetched: 1001,
    created: 12,
    updated: 23,
    suspended: 3,
    reactivated: 4,
    unchanged: 950,
    skipped: 7,
    failed: 2,
  },
  resultsUrl: 'https://uif.example.com/results/job-42?token=abc.def',
  error: null,
};

describe('formatUtc', () => {
  it('writes the time in UTC and says so, whatever the local time zone', () => {
    expect(formatUtc(new Date('2026-11-23T14:05:09.999Z'))).toBe('2026-11-23 14:05:09 UTC');
    expect(formatUtc(new Date('2026-11-23T23:30:00+02:00'))).toBe('2026-11-23 21:30:00 UTC');
  });
});

describe('renderImportSummary', () => {
  it('names the connector in the subject', () => {
    expect(renderImportSummary(summary).subject).toBe('User Import Complete: Acme HR');
  });

  it('keeps the subject on one line whatever the connector is called', () => {
    const { subject } = renderImportSummary({ ...summary, connectorName: 'Acme\r\nBcc: x@evil.test' });
    expect(subject).toBe('User Import Complete: Acme Bcc: x@evil.test');
  });

  it.each(['text', 'html'] as const)(
    'puts the connector, status, UTC times and results link in the %s body',
    (part) => {
      const body = renderImportSummary(summary)[part];
      expect(body).toContain('Acme HR');
      expect(body).toContain('SUCCEEDED');
      expect(body).toContain('2026-11-23 14:05:09 UTC');
      expect(body).toContain('2026-11-23 15:00:01 UTC');
      expect(body).toContain(part === 'html' ? 'token=abc.def' : summary.resultsUrl);
    },
  );

  it('lists every count with its label in the text body', () => {
    const { text } = renderImportSummary(summary);
    for (const [label, value] of [
      ['Fetched', 1001],
      ['Created', 12],
      ['Updated', 23],
      ['Suspended', 3],
      ['Reactivated', 4],
      ['Unchanged', 950],
      ['Skipped', 7],
      ['Failed', 2],
    ] as const)
      expect(text).toMatch(new RegExp(`^\\s*${label}:\\s+${value}$`, 'm'));
  });

  it('lists every count with its label in the html body', () => {
    const { html } = renderImportSummary(summary);
    for (const [label, value] of Object.entries({ Fetched: 1001, Unchanged: 950, Failed: 2, Skipped: 7 }))
      expect(html).toMatch(new RegExp(`>${label}</th><td[^>]*>${value}</td>`));
  });

  it('escapes the connector name and error in the html body', () => {
    const { html, text } = renderImportSummary({
      ...summary,
      status: 'FAILED',
      connectorName: '<script>Acme & Co</script>',
      error: 'Provider said <b>"no"</b>',
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;Acme &amp; Co&lt;/script&gt;');
    expect(html).toContain('Provider said &lt;b&gt;&quot;no&quot;&lt;/b&gt;');
    expect(text).toContain('<script>Acme & Co</script>');
  });

  it('escapes the results link and links only to http(s)', () => {
    const quoted = renderImportSummary({ ...summary, resultsUrl: 'https://x.test/r?a=1&b="2"' }).html;
    expect(quoted).toContain('href="https://x.test/r?a=1&amp;b=&quot;2&quot;"');
    const script = renderImportSummary({ ...summary, resultsUrl: 'javascript:alert(1)' }).html;
    expect(script).not.toContain('href=');
  });

  it('shows the error line only when the import has an error', () => {
    const ok = renderImportSummary(summary);
    expect(ok.text).not.toMatch(/^Error:/m);
    expect(ok.html).not.toContain('>Error<');

    const failed = renderImportSummary({ ...summary, status: 'FAILED', error: 'Provider answered 503' });
    expect(failed.text).toMatch(/^Error:\s+Provider answered 503$/m);
    expect(failed.html).toMatch(/>Error<\/th><td[^>]*>Provider answered 503</);
    expect(failed.text).toContain('FAILED');
  });

  it('says when there is no results link', () => {
    const { text, html } = renderImportSummary({ ...summary, resultsUrl: null });
    expect(text).toContain('No per-user results are available');
    expect(html).not.toContain('href=');
  });

  it('uses no external images or stylesheets', () => {
    const { html } = renderImportSummary(summary);
    expect(html).not.toMatch(/<img|<link|url\(/i);
  });
});
