import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  capturedLogger,
  freePort,
  startSmtpMailbox,
  temporaryDirectory,
  type ReceivedMessage,
} from '@uif/testing';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImportSummary } from './import-summary.js';
import { createMailer } from './mailer.js';

const SMTP_USER = 'mailer';
const SMTP_PASSWORD = 'smtp-pa55word-never-logged';
const FROM = 'User Import <import@uif.test>';

const summary: ImportSummary = {
  jobId: 'job-7',
  connectorName: '<script>Acme & Co</script>',
  trigger: 'SCHEDULED',
  status: 'PARTIAL',
  startedAt: new Date('2026-11-23T14:05:09Z'),
  finishedAt: new Date('2026-11-23T14:07:41Z'),
  counts: {
    fetched: 20,
    created: 5,
    updated: 4,
    suspended: 3,
    reactivated: 2,
    unchanged: 3,
    skipped: 1,
    failed: 2,
  },
  resultsUrl: 'https://uif.test/import/results/abc.def',
  error: null,
};

/** The SMTP server of these tests: one login, and refusing recipients at refused.test. */
function startSmtpServer() {
  return startSmtpMailbox({
    logins: { [SMTP_USER]: SMTP_PASSWORD },
    refuses: (address) => address.endsWith('@refused.test'),
  });
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  return [field ?? []].flat().flatMap((object) => object.value.map((entry) => entry.address ?? ''));
}

function expectSummaryContent(mail: ParsedMail): void {
  expect(mail.subject).toBe('User Import Complete: <script>Acme & Co</script>');
  expect(addresses(mail.from)).toEqual(['import@uif.test']);
  expect(mail.text).toContain('<script>Acme & Co</script>');
  expect(mail.text).toContain('PARTIAL');
  expect(mail.text).toContain('2026-11-23 14:05:09 UTC');
  expect(mail.text).toContain('2026-11-23 14:07:41 UTC');
  expect(mail.text).toMatch(/Reactivated:\s+2/);
  expect(mail.text).toContain('https://uif.test/import/results/abc.def');
  expect(mail.html).toContain('&lt;script&gt;Acme &amp; Co&lt;/script&gt;');
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('href="https://uif.test/import/results/abc.def"');
  expect(mail.html).toContain('2026-11-23 14:07:41 UTC');
}

describe('mailer over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  it('sends the summary to every recipient', async () => {
    const { log, lines } = capturedLogger('import');
    const mailer = createMailer({ smtpUrl: smtp.url, outboxDir: temporaryDirectory(), from: FROM }, log);

    await mailer.sendImportSummary(['ada@example.test', 'grace@example.test'], summary);

    expect(smtp.received).toHaveLength(1);
    const [{ envelopeTo, mail }] = smtp.received as [ReceivedMessage];
    expect(envelopeTo).toEqual(['ada@example.test', 'grace@example.test']);
    expect(addresses(mail.to)).toEqual(['ada@example.test', 'grace@example.test']);
    expectSummaryContent(mail);
    expect(lines.join('\n')).toContain('User Import Complete email sent');
  });

  it('logs in with the credentials in the URL and never logs them', async () => {
    const { log, lines } = capturedLogger('import');
    const url = smtp.url.replace('smtp://', `smtp://${SMTP_USER}:${SMTP_PASSWORD}@`);
    const mailer = createMailer({ smtpUrl: url, outboxDir: temporaryDirectory(), from: FROM }, log);

    await mailer.sendImportSummary(['ada@example.test'], summary);

    expect(smtp.received).toHaveLength(1);
    expect(lines.join('\n')).toContain('ada@example.test');
    expect(lines.join('\n')).not.toContain(SMTP_PASSWORD);
  });

  it('throws a clear error without the password when the server refuses the login', async () => {
    const { log, lines } = capturedLogger('import');
    const url = smtp.url.replace('smtp://', `smtp://${SMTP_USER}:wrong-${SMTP_PASSWORD}@`);
    const mailer = createMailer({ smtpUrl: url, outboxDir: temporaryDirectory(), from: FROM }, log);

    const error = await mailer.sendImportSummary(['ada@example.test'], summary).then(
      () => null,
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^Could not send the email through SMTP server 127\.0\.0\.1:\d+: /,
    );
    expect((error as Error).message).not.toContain(SMTP_PASSWORD);
    expect(lines.join('\n')).not.toContain(SMTP_PASSWORD);
    expect(smtp.received).toHaveLength(0);
  });

  it('throws when the server refuses every recipient', async () => {
    const mailer = createMailer(
      { smtpUrl: smtp.url, outboxDir: temporaryDirectory(), from: FROM },
      capturedLogger('import').log,
    );
    await expect(mailer.sendImportSummary(['nobody@refused.test'], summary)).rejects.toThrow(
      /Could not send the email through SMTP server/,
    );
  });

  it('throws when no SMTP server answers', async () => {
    const url = `smtp://127.0.0.1:${await freePort()}`;
    const mailer = createMailer(
      { smtpUrl: url, outboxDir: temporaryDirectory(), from: FROM },
      capturedLogger('import').log,
    );
    await expect(mailer.sendImportSummary(['ada@example.test'], summary)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('sends nothing and says so when there are no recipients', async () => {
    const { log, lines } = capturedLogger('import');
    const mailer = createMailer({ smtpUrl: smtp.url, outboxDir: temporaryDirectory(), from: FROM }, log);

    await mailer.sendImportSummary([], summary);

    expect(smtp.received).toHaveLength(0);
    expect(lines.join('\n')).toContain('no recipients');
  });
});

describe('mailer without SMTP', () => {
  it('writes a parseable .eml file into a new outbox folder and logs its path', async () => {
    const outboxDir = join(temporaryDirectory(), 'outbox', 'mail');
    const { log, lines } = capturedLogger('import');
    const mailer = createMailer({ outboxDir, from: FROM }, log);

    await mailer.sendImportSummary(['ada@example.test', 'grace@example.test'], summary);

    const files = await readdir(outboxDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/job-7-[0-9a-f]{8}\.eml$/);
    const file = join(outboxDir, files[0] ?? '');
    const mail = await simpleParser(await readFile(file));
    expect(addresses(mail.to)).toEqual(['ada@example.test', 'grace@example.test']);
    expectSummaryContent(mail);
    const logged = lines.map((line) => JSON.parse(line) as { outboxFile?: string });
    expect(logged.some((entry) => entry.outboxFile === file)).toBe(true);
  });

  it('keeps every message when several are written', async () => {
    const outboxDir = temporaryDirectory();
    const mailer = createMailer({ outboxDir, from: FROM }, capturedLogger('import').log);

    await Promise.all([1, 2, 3].map(() => mailer.sendImportSummary(['ada@example.test'], summary)));

    expect(await readdir(outboxDir)).toHaveLength(3);
  });

  it('writes nothing when there are no recipients', async () => {
    const outboxDir = join(temporaryDirectory(), 'outbox');
    const mailer = createMailer({ outboxDir, from: FROM }, capturedLogger('import').log);

    await mailer.sendImportSummary([], summary);

    await expect(readdir(outboxDir)).rejects.toThrow(/ENOENT/);
  });
});
