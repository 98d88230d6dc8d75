import { appendFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@uif/runtime';

/** What the services log when something failed that no rule expected: a bug, or a flaky test's cause. */
const UNEXPECTED =
  /"msg":"(unexpected error in a resolver|unexpected error in a subscription|unexpected gateway error|internal route failed)"/;

/**
 * Where the test reporter collects unexpected failures from every test process, to repeat them
 * after a failed run: CI output is often read from its end.
 */
export const UNEXPECTED_LOG_ENV = 'UIF_UNEXPECTED_LOG';

/** One line of a logged failure: when, the service, the message and the error's own (no stack). */
function briefly(line: string): string {
  const { time, service, msg, err } = JSON.parse(line) as {
    time?: string;
    service?: string;
    msg?: string;
    err?: { type?: string; message?: string; code?: string };
  };
  return `${time ?? ''} [${service ?? 'service'}] ${msg}: ${err?.type ?? 'Error'} ${err?.code ?? ''} ${err?.message ?? ''}\n`;
}

function reportUnexpected(line: string): void {
  const text = briefly(line);
  process.stderr.write(text);
  const collected = process.env[UNEXPECTED_LOG_ENV];
  if (collected) appendFileSync(collected, text);
}

/**
 * A logger whose JSON lines are kept, so tests can read what was logged (and what never was). Lines
 * of unexpected failures are also printed to stderr: a test that then fails on an "Internal server
 * error" shows its cause in the CI output.
 */
export function capturedLogger(name: string): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const written = chunk.toString('utf8').split('\n').filter(Boolean);
      lines.push(...written);
      for (const line of written) if (UNEXPECTED.test(line)) reportUnexpected(line);
      callback();
    },
  });
  return { log: createLogger({ name, level: 'debug', destination }), lines };
}
