import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@uif/runtime';

/** What the services log when something failed that no rule expected: a bug, or a flaky test's cause. */
const UNEXPECTED =
  /"msg":"(unexpected error in a resolver|unexpected error in a subscription|unexpected gateway error|internal route failed)"/;

/** One line of a logged failure: the service, the message and the error's own (no stack). */
function briefly(line: string): string {
  const { service, msg, err } = JSON.parse(line) as {
    service?: string;
    msg?: string;
    err?: { type?: string; message?: string; code?: string };
  };
  return `[${service ?? 'service'}] ${msg}: ${err?.type ?? 'Error'} ${err?.code ?? ''} ${err?.message ?? ''}\n`;
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
      for (const line of written) if (UNEXPECTED.test(line)) process.stderr.write(briefly(line));
      callback();
    },
  });
  return { log: createLogger({ name, level: 'debug', destination }), lines };
}
