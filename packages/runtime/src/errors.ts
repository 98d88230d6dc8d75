import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The contract's `extensions.code` values. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PROVIDER_ERROR'
  | 'INTERNAL_SERVER_ERROR';

/** A failure the caller can act on; its message and extensions reach the client as they are. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadUserInputError extends DomainError {
  /** `fields` names every offending input field, e.g. ["input.baseUrl"]. */
  constructor(message: string, fields: string[] = []) {
    super('BAD_USER_INPUT', message, { fields });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} was not found`, { id });
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid x-api-key and x-org-id are required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super('CONFLICT', message, extensions);
  }
}

const CLIENT_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'CONFLICT',
  'PROVIDER_ERROR',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // The gateway's limits: too many provider calls in one operation, too many requests or calls at once.
  'TOO_MANY_PROVIDER_CALLS',
  'RATE_LIMITED',
]);

/** Walks GraphQLError.originalError chains to the error a resolver threw. */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/**
 * Apollo `formatError` for every server: domain errors keep their code and message, errors Apollo
 * raised itself for bad requests keep theirs, anything else is masked (no stack, no SQL) and
 * reported to `onInternal` for the log.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onInternal: (cause: unknown) => void,
): GraphQLFormattedError {
  const cause = rootCause(error);
  if (cause instanceof DomainError) {
    return {
      message: cause.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { ...cause.extensions, code: cause.code },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  onInternal(cause);
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
