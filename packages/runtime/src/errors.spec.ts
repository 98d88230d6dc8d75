import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BadUserInputError, formatGraphQLError, NotFoundError } from './errors.js';

const wrap = (original: Error) =>
  new GraphQLError(original.message, { originalError: original, path: ['users'] });

describe('formatGraphQLError', () => {
  it('passes domain errors through with their code and fields', () => {
    const internal: unknown[] = [];
    const formatted = formatGraphQLError(
      { message: 'x', path: ['users'] },
      wrap(new BadUserInputError('input.name must not be empty', ['input.name'])),
      (cause) => internal.push(cause),
    );
    expect(formatted).toEqual({
      message: 'input.name must not be empty',
      path: ['users'],
      extensions: { code: 'BAD_USER_INPUT', fields: ['input.name'] },
    });
    expect(internal).toEqual([]);
  });

  it('masks anything else, with no stack or SQL for the client, and reports it for the log', () => {
    const internal: unknown[] = [];
    const sqlError = new Error("ER_PARSE_ERROR: You have an error in your SQL syntax near 'users'");
    const formatted = formatGraphQLError(
      {
        message: sqlError.message,
        path: ['users'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] },
      },
      wrap(sqlError),
      (cause) => internal.push(cause),
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['users'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(internal).toEqual([sqlError]);
  });

  it('keeps the code of errors Apollo raises for bad requests, without their stack', () => {
    const formatted = formatGraphQLError(
      {
        message: 'Cannot query field "nope"',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['…'] },
      },
      new GraphQLError('Cannot query field "nope"'),
      () => undefined,
    );
    expect(formatted.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('names what was not found', () => {
    expect(new NotFoundError('Connector', 'c-1').message).toBe('Connector c-1 was not found');
  });
});
