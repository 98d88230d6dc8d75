import { describe, expect, it } from 'vitest';
import { databaseUnreachableCode, isDuplicateKeyError } from './driver-errors.js';

const driverError = (code: string, fatal = false) => Object.assign(new Error(code), { code, fatal });

describe('databaseUnreachableCode', () => {
  it('names the code of a refused or lost connection, inside TypeORM errors and causes too', () => {
    expect(databaseUnreachableCode(driverError('ECONNREFUSED', true))).toBe('ECONNREFUSED');
    const queryFailed = Object.assign(new Error('Connection lost'), {
      driverError: driverError('PROTOCOL_CONNECTION_LOST', true),
    });
    expect(databaseUnreachableCode(queryFailed)).toBe('PROTOCOL_CONNECTION_LOST');
    expect(databaseUnreachableCode(new Error('x', { cause: driverError('ER_SERVER_SHUTDOWN') }))).toBe(
      'ER_SERVER_SHUTDOWN',
    );
    expect(databaseUnreachableCode(new AggregateError([driverError('ECONNREFUSED')]))).toBe('ECONNREFUSED');
  });

  it('answers null for errors of the request itself', () => {
    expect(databaseUnreachableCode(driverError('ER_DUP_ENTRY'))).toBeNull();
    expect(databaseUnreachableCode(driverError('ER_LOCK_WAIT_TIMEOUT'))).toBeNull();
    expect(databaseUnreachableCode(new Error('boom'))).toBeNull();
    expect(databaseUnreachableCode(null)).toBeNull();
  });
});

describe('isDuplicateKeyError', () => {
  it('knows a unique-key violation on MySQL and SQLite, and nothing else', () => {
    expect(
      isDuplicateKeyError(Object.assign(new Error('dup'), { driverError: driverError('ER_DUP_ENTRY') })),
    ).toBe(true);
    expect(isDuplicateKeyError(driverError('SQLITE_CONSTRAINT_PRIMARYKEY'))).toBe(true);
    expect(isDuplicateKeyError(driverError('SQLITE_CONSTRAINT_NOTNULL'))).toBe(false);
    expect(isDuplicateKeyError(driverError('ECONNREFUSED'))).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });
});
