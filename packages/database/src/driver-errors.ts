/** Driver error codes that mean the database could not be reached or the connection to it broke. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CON_COUNT_ERROR',
]);

/**
 * The driver code when `error` says the database is unreachable (down, restarting, connection
 * lost), else null: such a failure is the database's, not the request's, and passes once it is back.
 * Looks through TypeORM's QueryFailedError (driverError) and error causes.
 */
export function databaseUnreachableCode(error: unknown): string | null {
  let current = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const code = databaseUnreachableCode(inner);
        if (code) return code;
      }
    }
    const { code, fatal } = current as { code?: unknown; fatal?: unknown };
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
    // mysql2 marks the errors that end a connection as fatal.
    if (fatal === true) return typeof code === 'string' ? code : 'connection failed';
    current = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Whether `error` is a unique-key violation (another writer inserted the same key first). */
export function isDuplicateKeyError(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  const code = driverError?.code ?? (error as { code?: unknown } | null)?.code;
  return (
    code === 'ER_DUP_ENTRY' ||
    (typeof code === 'string' && /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(code))
  );
}
