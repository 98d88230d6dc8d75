import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PUBLIC_LINK_SERVICE, serviceHeaders, type Logger } from '@uif/runtime';
import type { Request, Response } from 'express';

/**
 * The subgraph's internal path for a public request, built from what its route validated (never
 * from the raw URL), or null to answer 404: a backslash or a dot segment has no place in a link.
 */
export type InternalPathOf = (req: Request) => string | null;

const SUSPICIOUS = /\\|%5c|(^|\/)\.\.?(\/|$)|%2e/i;

/** The query string as the client sent it ('' or '?…'). */
const queryOf = (req: Request) => {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at);
};

/** `/internal<path>` with the query string kept: for a fixed route such as the OAuth callback. */
export const fixedPath =
  (path: string): InternalPathOf =>
  (req) =>
    SUSPICIOUS.test(req.path) ? null : `/internal${path}${queryOf(req)}`;

/** `/internal<prefix>/<the route's :param, encoded>`: for a link that carries a token. */
export const paramPath =
  (prefix: string, param: string): InternalPathOf =>
  (req) => {
    const value = req.params[param];
    if (typeof value !== 'string' || !value || SUSPICIOUS.test(value)) return null;
    return `/internal${prefix}/${encodeURIComponent(value)}`;
  };

/**
 * Forwards a public GET that needs no API key (the OAuth callback, a results download link) to a
 * subgraph's internal route, signed with the public-link identity that only such routes accept, and
 * streams the answer back.
 */
export function forwardGet(
  serviceUrl: string,
  internalPath: InternalPathOf,
  internalSecret: string,
  log: Logger,
) {
  return async (req: Request, res: Response) => {
    const path = SUSPICIOUS.test(req.originalUrl.split('?')[0]!) ? null : internalPath(req);
    if (!path) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    try {
      const answer = await fetch(new URL(path, serviceUrl), {
        headers: serviceHeaders(PUBLIC_LINK_SERVICE, internalSecret),
      });
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
