import { DomainError, type ErrorCode } from './errors.js';
import { serviceHeaders } from './identity.js';

/** How an internal route answers a failure: the domain error's code, message and extensions. */
export interface InternalErrorBody {
  error: { code: ErrorCode; message: string; extensions?: Record<string, unknown> };
}

const STATUS_OF_CODE: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PROVIDER_ERROR: 502,
  INTERNAL_SERVER_ERROR: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return STATUS_OF_CODE[code];
}

/** A call between services failed without a domain error (the other service is down or broke). */
export class InternalCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'InternalCallError';
  }
}

export interface InternalCall {
  /** The calling service, recorded in the signed identity. */
  service: string;
  secret: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * JSON over HTTP to another service's /internal routes, signed as a service. A domain error the
 * other side raised is raised here again with its code, so it reaches the client unchanged.
 */
export async function callInternal<T>(baseUrl: string, path: string, call: InternalCall): Promise<T> {
  const url = new URL(path, baseUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...serviceHeaders(call.service, call.secret) },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      ...(call.signal ? { signal: call.signal } : {}),
    });
  } catch (error) {
    throw new InternalCallError(
      0,
      `${url.origin} did not answer ${url.pathname}: ${(error as Error).message}`,
    );
  }
  const text = await response.text();
  if (response.ok) return JSON.parse(text) as T;
  const failure = parseError(text);
  if (failure) throw new DomainError(failure.code, failure.message, failure.extensions ?? {});
  throw new InternalCallError(
    response.status,
    `${url.pathname} answered HTTP ${response.status}: ${text.slice(0, 300)}`,
  );
}

/**
 * A long answer of an internal route, one JSON line at a time: `{"item": …}` lines, then
 * `{"end": true}`, or `{"error": …}` (InternalErrorBody) where it failed. The last line tells a
 * finished answer from one cut short (the other service stopped): that is an InternalCallError.
 */
export type InternalLine<Item> = { item: Item } | { end: true } | InternalErrorBody;

/** The media type of such answers. */
export const INTERNAL_LINES_TYPE = 'application/x-ndjson';

/**
 * The items of a long answer to a POST of `call.body` to another service's /internal route (see
 * InternalLine), as they arrive; a domain error is raised again as callInternal raises it. Stopping
 * early closes the connection, which tells the other side to stop too.
 */
export async function* streamInternal<Item>(
  baseUrl: string,
  path: string,
  call: Omit<InternalCall, 'method'>,
): AsyncGenerator<Item> {
  const url = new URL(path, baseUrl);
  const stop = new AbortController();
  const signal = call.signal ? AbortSignal.any([call.signal, stop.signal]) : stop.signal;
  const cut = (error: unknown) =>
    new InternalCallError(0, `${url.origin} stopped answering ${url.pathname}: ${(error as Error).message}`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...serviceHeaders(call.service, call.secret) },
      body: JSON.stringify(call.body ?? {}),
      signal,
    });
  } catch (error) {
    throw new InternalCallError(
      0,
      `${url.origin} did not answer ${url.pathname}: ${(error as Error).message}`,
    );
  }
  try {
    if (!response.ok || !response.body) {
      const text = await response.text();
      const failure = parseError(text);
      if (failure) throw new DomainError(failure.code, failure.message, failure.extensions ?? {});
      throw new InternalCallError(
        response.status,
        `${url.pathname} answered HTTP ${response.status}: ${text.slice(0, 300)}`,
      );
    }
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body) {
        const text = decoder.decode(chunk as Uint8Array, { stream: true });
        // A page's line may come in many chunks: only a chunk that ends lines is split.
        if (!text.includes('\n')) {
          buffered += text;
          continue;
        }
        const lines = (buffered + text).split('\n');
        buffered = lines.pop()!;
        for (const encoded of lines) {
          const line = JSON.parse(encoded) as InternalLine<Item>;
          if ('item' in line) yield line.item;
          else if ('end' in line) return;
          else throw new DomainError(line.error.code, line.error.message, line.error.extensions ?? {});
        }
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw cut(error);
    }
    throw cut(new Error('the answer ended before its last line'));
  } finally {
    stop.abort();
  }
}

function parseError(text: string): InternalErrorBody['error'] | null {
  try {
    const body = JSON.parse(text) as Partial<InternalErrorBody>;
    return body.error && typeof body.error.code === 'string' && body.error.code in STATUS_OF_CODE
      ? body.error
      : null;
  } catch {
    return null;
  }
}
