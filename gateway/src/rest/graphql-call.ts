import type { Request } from 'express';
import { RestError } from './rest-error.js';

/** Runs one public GraphQL operation as the REST caller; throws a RestError for any GraphQL error. */
export type GraphQLCall = <Data>(
  query: string,
  variables?: Record<string, unknown>,
  /** GraphQL input fields as this route names them, e.g. { 'input.query': 'queryString' }. */
  fieldNames?: Record<string, string>,
) => Promise<Data>;

interface GraphQLAnswer {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string; fields?: unknown } }[];
}

/** The contract's error codes, as HTTP statuses. */
const STATUS_BY_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PROVIDER_ERROR: 502,
};

const OWN_FAULT_CODES = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'INTERNAL_SERVER_ERROR',
]);

/** The caller's headers that the GraphQL endpoint reads: who is calling, and the request's id. */
const FORWARDED_HEADERS = ['x-api-key', 'x-org-id', 'x-request-id'];

/**
 * Calls the gateway's own `/graphql` with the REST caller's headers, so every rule of the public API
 * (authentication, limits, validation, organization scoping) applies to REST calls unchanged.
 */
export function graphqlCaller(graphqlUrl: string, req: Request): GraphQLCall {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return async <Data>(
    query: string,
    variables: Record<string, unknown> = {},
    fieldNames: Record<string, string> = {},
  ) => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json().catch(() => ({}))) as GraphQLAnswer;
    const error = answer.errors?.[0];
    if (error) throw restErrorOf(error, response, fieldNames);
    if (!response.ok || answer.data == null) {
      throw new RestError(
        response.ok ? 502 : response.status,
        'The GraphQL API gave no answer',
        [],
        retryAfter(response),
      );
    }
    return answer.data as Data;
  };
}

function restErrorOf(
  error: NonNullable<GraphQLAnswer['errors']>[number],
  response: Response,
  fieldNames: Record<string, string>,
): RestError {
  const code = error.extensions?.code ?? '';
  // The operations are ours (GraphQL refusing one is our fault) and internal errors stay internal:
  // a 500 for the caller, the cause for the log.
  if (OWN_FAULT_CODES.has(code)) {
    throw new Error(`The GraphQL API failed a REST API operation (${code}): ${error.message}`);
  }
  // Codes outside the contract (a rate limit, a refused operation) keep the gateway's own status.
  const status = STATUS_BY_CODE[code] ?? (response.status >= 400 ? response.status : 500);
  const fields = Array.isArray(error.extensions?.fields)
    ? error.extensions.fields.map((field) => fieldNames[String(field)] ?? String(field))
    : [];
  // GraphQL messages name fields by their GraphQL path (input.query): say them as this route does.
  const message = Object.entries(fieldNames).reduce(
    (text, [graphqlName, restName]) => text.replaceAll(graphqlName, restName),
    error.message,
  );
  return new RestError(status, message, fields, retryAfter(response));
}

/** A refusal's Retry-After (a rate limit), passed on to the REST caller. */
function retryAfter(response: Response): Record<string, string> {
  const value = response.headers.get('retry-after');
  return value ? { 'retry-after': value } : {};
}
