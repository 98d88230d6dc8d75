import { DomainError, type Logger } from '@uif/runtime';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { graphqlCaller } from './graphql-call.js';
import { openApiDocument } from './openapi.js';
import { RestError } from './rest-error.js';
import type { RestLinks } from './route.js';
import { REST_ROUTES } from './routes.js';

export const REST_BASE_PATH = '/api/v2';

export interface RestApiOptions {
  /** The gateway's own GraphQL endpoint, known once it listens. */
  graphqlUrl: () => string;
  /** The gateway's public origin, for the links in answers. */
  publicUrl: string;
  /** The gateway's own check of x-api-key and x-org-id: a caller it refuses gets a 401 before anything else. */
  authenticate: (apiKey: string | undefined, organizationId: string | undefined) => Promise<unknown>;
  log: Logger;
}

/** Parses a part of the request; a bad one is a 400 naming the wrong field. */
function parse<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  part: string,
): z.output<S> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw new RestError(
      400,
      `not a field of this request's ${part}`,
      issue.keys.map((key) => fieldName([...issue.path, key])),
    );
  }
  throw new RestError(400, issue.message, [fieldName(issue.path) || part]);
}

/** operations[1], operations.userCreate: a field as a JSON body names it. */
function fieldName(path: PropertyKey[]): string {
  return path
    .map((key, n) => (typeof key === 'number' ? `[${key}]` : `${n ? '.' : ''}${String(key)}`))
    .join('');
}

function links(publicUrl: string): RestLinks {
  const base = new URL(REST_BASE_PATH, publicUrl).toString();
  return {
    job: (applicationId, jobId) =>
      `${base}/applications/${encodeURIComponent(applicationId)}/import/jobs/${encodeURIComponent(jobId)}`,
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** `/applications/{application_id}` → `/applications/:application_id` */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * JumpCloud's import API on the gateway: each route checks the shape of its request, runs public
 * GraphQL operations as the caller, and answers JSON (errors as `{ message }` with their status).
 */
export function restApi(options: RestApiOptions): Router {
  const router = express.Router();
  const document = openApiDocument(REST_ROUTES, options.publicUrl);
  const restLinks = links(options.publicUrl);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use(express.json({ limit: '100kb' }));
  for (const route of REST_ROUTES) {
    router[route.method](expressPath(route.path), async (req: Request, res: Response, next: NextFunction) => {
      try {
        await options
          .authenticate(header(req, 'x-api-key'), header(req, 'x-org-id'))
          .catch((error: unknown) => {
            throw error instanceof DomainError ? new RestError(401, error.message) : error;
          });
        const input = {
          params: req.params as Record<string, string>,
          query: parse(route.query, req.query, 'query'),
          body: parse(route.body, req.body ?? {}, 'body'),
        };
        const call = graphqlCaller(options.graphqlUrl(), req);
        const answer = await route.handle(input, { call, links: restLinks });
        if (route.status === 201 && typeof answer === 'object' && answer && 'links' in answer) {
          res.location((answer as { links: { self: string } }).links.self);
        }
        res.status(route.status).json(answer);
      } catch (error) {
        next(error);
      }
    });
  }
  router.use((req: Request) => {
    throw new RestError(404, `No route ${req.method} ${REST_BASE_PATH}${req.path}`);
  });
  router.use(restErrorHandler(options.log));
  return router;
}

function restErrorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof RestError) {
      res.status(error.status).set(error.headers).json(error.toJSON());
      return;
    }
    // express.json's own refusals: a body that is not JSON, or too large.
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 400 && status < 500) {
      res.status(status).json({ message: `The request body was refused: ${(error as Error).message}` });
      return;
    }
    log.error({ err: error, path: req.path }, 'unexpected REST API error');
    res.status(500).json({ message: 'Internal server error' });
  };
}
