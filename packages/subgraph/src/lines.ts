import { INTERNAL_LINES_TYPE, type InternalLine } from '@uif/runtime';
import type { Response } from 'express';

/** The line after which the answer is complete (see InternalLine). */
const END_LINE = `${JSON.stringify({ end: true } satisfies InternalLine<never>)}\n`;

/** Where a server keeps the answers in lines it is sending (`app.locals`): its stop ends them. */
const LINES_IN_FLIGHT = 'linesInFlight';

/** Ends the answers in lines a server is sending: their callers go on elsewhere, as after a cut. */
export function endLinesInFlight(locals: Record<string, unknown>): void {
  for (const res of (locals[LINES_IN_FLIGHT] as Set<Response> | undefined) ?? []) res.destroy();
}

/** Whether `res` answers in InternalLines: a failure after its head is sent becomes its last line. */
export function answersInLines(res: Response): boolean {
  return String(res.getHeader('content-type') ?? '').startsWith(INTERNAL_LINES_TYPE);
}

/**
 * Answers an internal route with `items` as InternalLines, each written as it comes and as fast as
 * the caller reads. A failure before the first item answers as any internal route does; a later
 * one is thrown for the error handler to write as the last line. A caller that goes away stops the
 * items (their generator is returned, so it stops reading too), and so does the server's stop: a
 * long answer would otherwise hold it for the whole drain grace.
 */
export async function sendLines(res: Response, items: AsyncIterable<unknown>): Promise<void> {
  const iterator = items[Symbol.asyncIterator]();
  const inFlight = ((res.app.locals[LINES_IN_FLIGHT] as Set<Response> | undefined) ??= new Set());
  inFlight.add(res);
  let finished = false;
  try {
    let next = await iterator.next();
    res.status(200).setHeader('content-type', INTERNAL_LINES_TYPE);
    while (!next.done) {
      if (res.destroyed) return;
      const line = `${JSON.stringify({ item: next.value } satisfies InternalLine<unknown>)}\n`;
      if (!res.write(line)) await drainedOrClosed(res);
      next = await iterator.next();
    }
    finished = true;
    res.end(END_LINE);
  } finally {
    inFlight.delete(res);
    if (!finished) await iterator.return?.();
  }
}

/** Until `res` takes more (or the caller went away), its listeners removed either way. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
