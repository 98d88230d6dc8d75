import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { serviceHeaders, type Logger } from '@uif/runtime';
import type { Request, Response } from 'express';

/**
 * Forwards a public GET that needs no API key (the OAuth callback, a results download link) to a
 * subgraph's internal route, signed as the gateway, and streams the answer back.
 */
export function forwardGet(serviceUrl: string, internalSecret: string, log: Logger) {
  return async (req: Request, res: Response) => {
    const target = new URL(`/internal${req.originalUrl}`, serviceUrl);
    try {
      const answer = await fetch(target, { headers: serviceHeaders('gateway', internalSecret) });
      res.status(answer.status);
      for (const name of ['content-type', 'content-disposition']) {
        const value = answer.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      if (!answer.body) {
        res.end();
        return;
      }
      Readable.fromWeb(answer.body as WebReadableStream).pipe(res);
    } catch (error) {
      log.error({ err: error, path: req.path }, 'a subgraph did not answer a forwarded request');
      res
        .status(502)
        .type('text/plain')
        .send('The service behind this link is not reachable; try again later.');
    }
  };
}
