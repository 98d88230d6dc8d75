import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@uif/runtime';

/** A logger whose JSON lines are kept, so tests can read what was logged (and what never was). */
export function capturedLogger(name: string): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { log: createLogger({ name, level: 'debug', destination }), lines };
}
