import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { fieldErrorsOf, missing } from './form-errors';

describe('form errors beside their fields', () => {
  it("places each of the server's problems beside the field it names, the longest name winning", () => {
    const error = new ApiError(
      'input.baseUrl must be an http(s) URL; input.listUsers.path must start with /, e.g. /employees; input.listUsers.pathPrefix is unknown',
      'BAD_USER_INPUT',
      { fields: ['input.baseUrl', 'input.listUsers.path', 'input.listUsers.pathPrefix'] },
    );
    expect(fieldErrorsOf(error)).toEqual({
      fields: {
        baseUrl: 'must be an http(s) URL',
        'listUsers.path': 'must start with /, e.g. /employees',
        'listUsers.pathPrefix': 'is unknown',
      },
      general: null,
    });
  });

  it('keeps a problem that names no field, and any other error, as a message for the whole form', () => {
    const unplaced = new ApiError('input.auth exactly one method; the rest is fine', 'BAD_USER_INPUT', {
      fields: ['input.auth'],
    });
    expect(fieldErrorsOf(unplaced)).toEqual({
      fields: { auth: 'exactly one method' },
      general: 'the rest is fine',
    });
    expect(fieldErrorsOf(new ApiError('Connector c1 was not found', 'NOT_FOUND'))).toEqual({
      fields: {},
      general: 'Connector c1 was not found',
    });
  });

  it('names every empty required field at once', () => {
    expect(
      missing({ displayLabel: ' ', baseUrl: 'https://hr.example' }, [
        'displayLabel',
        'baseUrl',
        'listUsers.path',
      ]),
    ).toEqual({
      displayLabel: 'is required',
      'listUsers.path': 'is required',
    });
  });
});
