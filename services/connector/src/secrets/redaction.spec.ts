import { DomainError } from '@uif/runtime';
import { describe, expect, it } from 'vitest';
import { Redactor, secretValues } from './redaction.js';

describe('Redactor', () => {
  const redactor = new Redactor(secretValues({ token: 'tok/en+1', clientSecret: 's3cret', expiresAt: 5 }));

  it('redacts each secret as sent, URL-encoded and in base64, in text and nested data', () => {
    const echo = `authorization: Bearer tok/en+1; q=${encodeURIComponent('tok/en+1')}; b=${Buffer.from('s3cret').toString('base64')}`;
    expect(redactor.text(echo)).toBe('authorization: Bearer [redacted]; q=[redacted]; b=[redacted]');
    expect(redactor.deep({ users: [{ note: 'key s3cret', n: 1 }] })).toEqual({
      users: [{ note: 'key [redacted]', n: 1 }],
    });
  });

  it("leaves the provider's data untouched: copies only the way to a redacted value", () => {
    const clean = { id: 1, name: 'Ada' };
    const page = { users: [clean, { note: 'key s3cret' }] };
    const redacted = redactor.deep(page);
    expect(redacted.users[0]).toBe(clean);
    expect(redacted.users[1]).toEqual({ note: 'key [redacted]' });
    expect(page.users[1]).toEqual({ note: 'key s3cret' });
    expect(redactor.deep(clean)).toBe(clean);
  });

  it('returns a page parsed from JSON that holds no secret as it is, and redacts one that does', () => {
    const clean = '{"users": [{"id": 1, "name": "Ada"}]}';
    const page = JSON.parse(clean) as { users: object[] };
    expect(redactor.parsed(page, clean)).toBe(page);
    const echo = '{"users": [{"id": 2, "note": "token tok/en+1"}]}';
    expect(redactor.parsed(JSON.parse(echo) as object, echo)).toEqual({
      users: [{ id: 2, note: 'token [redacted]' }],
    });
  });

  it('finds a secret that JSON escapes hide from the text of a page', () => {
    for (const json of ['{"note": "tok\\/en+1"}', '{"note": "s3\\u0063ret"}']) {
      expect(json).not.toMatch(/tok\/en|s3cret/);
      expect(redactor.parsed(JSON.parse(json) as object, json)).toEqual({ note: '[redacted]' });
    }
  });

  it('copies a provider\'s "__proto__" key as data, redacted like any other', () => {
    const copy = redactor.deep(JSON.parse('{"__proto__": {"note": "s3cret"}, "id": 7}') as object);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"note":"[redacted]"},"id":7}');
  });

  it('leaves secrets too short to protect alone, so answers stay readable', () => {
    expect(new Redactor(secretValues({ token: 't' })).text('the test')).toBe('the test');
  });

  it('redacts an error quoting a provider in its message and extensions, keeping its code', () => {
    const error = new DomainError('PROVIDER_ERROR', 'echo: s3cret', { body: 'x-key: s3cret', status: 200 });
    expect(redactor.error(error)).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'echo: [redacted]',
      extensions: { body: 'x-key: [redacted]', status: 200 },
    });
  });
});
