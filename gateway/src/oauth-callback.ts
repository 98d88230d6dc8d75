import { serviceHeaders, type Logger } from '@uif/runtime';
import type { Request, Response } from 'express';

/**
 * GET /oauth/callback on the gateway's origin (where OAuth providers send the admin's browser):
 * forwarded, signed, to the connector subgraph, which completes the flow named by `state`.
 */
export function oauthCallback(connectorUrl: string, internalSecret: string, log: Logger) {
  return async (req: Request, res: Response) => {
    const target = new URL(`/internal${req.originalUrl}`, connectorUrl);
    try {
      const answer = await fetch(target, { headers: serviceHeaders('gateway', internalSecret) });
      res
        .status(answer.status)
        .type(answer.headers.get('content-type') ?? 'text/html')
        .send(await answer.text());
    } catch (error) {
      log.error({ err: error }, 'the connector subgraph did not answer the OAuth callback');
      res
        .status(502)
        .type('text/plain')
        .send('The connector service is not reachable; try the authorization again.');
    }
  };
}
