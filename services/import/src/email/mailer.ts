import { randomBytes } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Logger } from '@uif/runtime';
import { renderImportSummary, type ImportSummary } from './import-summary.js';
import { renderBrakeNotice, type BrakeNotice } from './brake-notice.js';

export interface Mailer {
  /** Sends the "User Import Complete" email; throws an Error when it could not be delivered. */
  sendImportSummary(recipients: string[], summary: ImportSummary): Promise<void>;
  /** Sends the "awaits approval" email of a job whose brake tripped; throws like sendImportSummary. */
  sendBrakeNotice(recipients: string[], notice: BrakeNotice): Promise<void>;
}

export interface MailerSettings {
  /** e.g. smtp://user:pass@mail.example.com:587; without it, messages go to `outboxDir` as .eml files. */
  smtpUrl?: string;
  outboxDir: string;
  from: string;
}

/** Delivers one message of a job and says where it went, for the log. */
type Delivery = (message: SendMailOptions, jobId: string) => Promise<Record<string, string>>;

// A dead or silent SMTP server must not hold an import's completion for minutes.
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

export function createMailer(settings: MailerSettings, log: Logger): Mailer {
  const deliver = settings.smtpUrl ? smtpDelivery(settings.smtpUrl) : outboxDelivery(settings.outboxDir);
  return {
    async sendImportSummary(recipients, summary) {
      const context = { jobId: summary.jobId, recipients };
      if (recipients.length === 0) {
        log.info(context, 'User Import Complete email not sent: no recipients');
        return;
      }
      const { subject, text, html } = renderImportSummary(summary);
      const message = { from: settings.from, to: recipients, subject, text, html };
      const where = await deliver(message, summary.jobId);
      log.info({ ...context, ...where }, 'User Import Complete email sent');
    },
    async sendBrakeNotice(recipients, notice) {
      const context = { jobId: notice.jobId, recipients };
      if (recipients.length === 0) {
        log.info(context, 'import awaiting approval: no recipients to tell');
        return;
      }
      const { subject, text, html } = renderBrakeNotice(notice);
      const where = await deliver({ from: settings.from, to: recipients, subject, text, html }, notice.jobId);
      log.info({ ...context, ...where }, 'import awaiting approval email sent');
    },
  };
}

function smtpDelivery(smtpUrl: string): Delivery {
  const transport = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  // The URL may carry credentials: only its host ever reaches a message or the log.
  const server = smtpHost(smtpUrl);
  return async (message) => {
    try {
      const info = await transport.sendMail(message);
      return { smtpServer: server, messageId: info.messageId };
    } catch (cause) {
      throw new Error(`Could not send the email through SMTP server ${server}: ${reason(cause)}`, { cause });
    }
  };
}

function outboxDelivery(outboxDir: string): Delivery {
  // The stream transport builds the same RFC 822 message SMTP would carry, without sending it.
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return async (message, jobId) => {
    try {
      const info = await transport.sendMail(message);
      const file = await writeOutboxFile(join(outboxDir, outboxFileName(jobId)), info.message);
      return { outboxFile: file, messageId: info.messageId };
    } catch (cause) {
      throw new Error(`Could not write the email to the outbox ${outboxDir}: ${reason(cause)}`, { cause });
    }
  };
}

async function writeOutboxFile(path: string, message: Buffer | NodeJS.ReadableStream): Promise<string> {
  if (!Buffer.isBuffer(message)) throw new Error('the stream transport returned no buffer');
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  // Written beside it first, then linked into place whole: whoever watches the outbox never reads a
  // half-written message. 'wx' and link never overwrite an earlier one, whatever the clock does.
  const partial = join(dirname(file), `.${basename(file)}.partial`);
  await writeFile(partial, message, { flag: 'wx' });
  try {
    await link(partial, file);
  } finally {
    await unlink(partial);
  }
  return file;
}

/** Sorts by time in a directory listing and names the job; job ids come from us, but stay file-safe anyway. */
function outboxFileName(jobId: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const job = jobId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return `${stamp}-${job}-${randomBytes(4).toString('hex')}.eml`;
}

function smtpHost(smtpUrl: string): string {
  try {
    return new URL(smtpUrl).host || 'unknown';
  } catch {
    return '(unparseable SMTP URL)';
  }
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
