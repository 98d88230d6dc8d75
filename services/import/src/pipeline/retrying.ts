import { databaseUnreachableCode } from '@uif/database';
import { DomainError, InternalCallError, type Logger } from '@uif/runtime';
import pRetry from 'p-retry';

export interface RetryPolicy {
  /** How long calls to a service that is down (or whose database is) are retried. */
  retryMs: number;
  log: Logger;
  /** Said with every warning (the job's id). */
  context: Record<string, unknown>;
}

/** The first and the longest wait between two tries. */
export const RETRY_DELAY_MS = { min: 250, max: 5_000 };

/**
 * `client` with every call retried while the service behind it, or its database, is down: with
 * backoff, for up to `retryMs`. Safe because reads are reads and batches are idempotent (a
 * replayed batch answers as the first time).
 */
export function retrying<Client extends object>(
  client: Client,
  { retryMs, log, context }: RetryPolicy,
): Client {
  return new Proxy(client, {
    get: (target, name, receiver) => {
      const member: unknown = Reflect.get(target, name, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) =>
        pRetry(() => (member as (...a: unknown[]) => Promise<unknown>).apply(target, args), {
          // Bounded by maxRetryTime; `retries` only caps the schedule p-retry precomputes. p-retry
          // reads a maxRetryTime of 0 as no limit: 0 seconds means no retry at all.
          retries: retryMs > 0 ? 100 : 0,
          maxRetryTime: retryMs,
          minTimeout: RETRY_DELAY_MS.min,
          maxTimeout: RETRY_DELAY_MS.max,
          shouldRetry: isTransient,
          // p-retry calls this for a failure it will not retry too.
          onFailedAttempt: (error) => {
            if (!isTransient(error)) return;
            log.warn(
              { ...context, attempt: error.attemptNumber, err: error },
              `${String(name)} failed on a service that is down: retrying`,
            );
          },
        });
    },
  });
}

/** A failure that passes once the other side is back: a service down or failing, its database unreachable. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof InternalCallError ||
    (error instanceof DomainError && error.code === 'INTERNAL_SERVER_ERROR') ||
    databaseUnreachableCode(error) !== null
  );
}
