import type { z } from 'zod';
import type { GraphQLCall } from './graphql-call.js';

/** Absolute links to the REST resources, on the gateway's public origin. */
export interface RestLinks {
  job(applicationId: string, jobId: string): string;
}

export interface RouteInput<Query, Body> {
  params: Record<string, string>;
  query: Query;
  body: Body;
}

export interface RouteContext {
  call: GraphQLCall;
  links: RestLinks;
}

/**
 * One REST route: what the OpenAPI document says of it and what it does. The router and the
 * document are both built from the list of routes, so they cannot disagree.
 */
export interface RestRoute<Query extends z.ZodType = z.ZodType, Body extends z.ZodType = z.ZodType> {
  method: 'get' | 'post';
  /** OpenAPI path template under /api/v2, e.g. /applications/{application_id}/import/jobs */
  path: string;
  operationId: string;
  summary: string;
  query?: Query;
  body?: Body;
  status: 200 | 201;
  response: z.ZodType;
  /** The error statuses this route answers besides 401 and 500. */
  errors: (400 | 404 | 409 | 502)[];
  handle(input: RouteInput<z.output<Query>, z.output<Body>>, context: RouteContext): Promise<unknown>;
}

/** Keeps each route's handler typed by its own schemas, then forgets them for the list. */
export function defineRoute<Query extends z.ZodType, Body extends z.ZodType>(
  route: RestRoute<Query, Body>,
): RestRoute {
  return route as unknown as RestRoute;
}
