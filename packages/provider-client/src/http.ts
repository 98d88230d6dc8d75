import got, { CancelError, RequestError, type Headers, type Method, type RetryObject } from 'got';
import { ProviderError, TargetRefusedError } from './errors.js';
import { providerRequestTimer } from './metrics.js';
import { assertPublicHostLiteral, publicOnlyLookup, type HostAllowlist, type HostResolver } from './ssrf.js';

/** How the client treats a provider: what it may reach, how long it waits, how often it retries. */
export interface HttpPolicy {
  /** Loopback and private addresses are refused unless this is set (ALLOW_PRIVATE_NETWORK_TARGETS). */
  allowPrivateNetwork: boolean;
  /** Private hosts reachable all the same, by name or address (PRIVATE_TARGET_ALLOWLIST). */
  privateAllowlist?: HostAllowlist;
  /** How the guard resolves host names: the system's resolver unless set (tests give names of their own). */
  resolver?: HostResolver;
  /** Per request, including the body. */
  timeoutMs: number;
  maxResponseBytes: number;
  /** Retries after the first attempt, on 408/429/5xx and network errors. */
  retries: number;
  retryBaseDelayMs: number;
  /** Longest wait between attempts, whatever Retry-After asks for. */
  maxRetryDelayMs: number;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  allowPrivateNetwork: false,
  timeoutMs: 30_000,
  maxResponseBytes: 20 * 1024 * 1024,
  retries: 4,
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 30_000,
};

export interface ProviderResponse {
  status: number;
  url: string;
  headers: Headers;
  contentType: string | undefined;
  body: string;
  /** How many attempts it took (1 when the first one answered). */
  attempts: number;
}

/** Exponential backoff with jitter, or the provider's Retry-After, never longer than the policy allows. */
function retryDelay(policy: HttpPolicy) {
  return ({ attemptCount, retryAfter, computedValue }: RetryObject): number => {
    if (computedValue === 0) return 0;
    if (retryAfter) return Math.min(retryAfter, policy.maxRetryDelayMs);
    const backoff = Math.min(policy.retryBaseDelayMs * 2 ** (attemptCount - 1), policy.maxRetryDelayMs);
    return backoff / 2 + (Math.random() * backoff) / 2;
  };
}

/** `request` names the call, e.g. "GET https://hr.example/employees". */
function describeFailure(error: RequestError, request: string, policy: HttpPolicy): Error {
  const refused = [error, error.cause].find((e) => e instanceof TargetRefusedError);
  if (refused) return refused as TargetRefusedError;
  if (error instanceof CancelError) {
    return new ProviderError(
      `The provider's answer is larger than ${policy.maxResponseBytes} bytes (${request})`,
    );
  }
  if (error.code === 'ETIMEDOUT') {
    return new ProviderError(`The provider did not answer within ${policy.timeoutMs / 1000} s (${request})`);
  }
  return new ProviderError(
    `Could not reach the provider (${request}): ${error.code ?? ''} ${error.message}`.trim(),
  );
}

/** Refuses an IP-literal target outside the public internet unless the policy allows it. */
function guardLiteral(target: URL, policy: HttpPolicy): void {
  if (!policy.allowPrivateNetwork) assertPublicHostLiteral(target, policy.privateAllowlist);
}

/** got's DNS lookup under the guard: every connection, redirects included, is checked. */
function guardedLookup(policy: HttpPolicy): { dnsLookup?: never } {
  return policy.allowPrivateNetwork
    ? {}
    : { dnsLookup: publicOnlyLookup(policy.privateAllowlist, policy.resolver) as never };
}

/**
 * GET with the policy: the SSRF guard on every connection and redirect, the credentials in
 * `headers` dropped when a redirect leaves the origin, retries, a timeout and a size cap. Answers any
 * HTTP status; throws ProviderError only when no answer came.
 */
export async function providerGet(
  url: URL,
  headers: Record<string, string>,
  policy: HttpPolicy,
  accept = 'application/json',
): Promise<ProviderResponse> {
  const origin = url.origin;
  guardLiteral(url, policy);
  const timer = providerRequestTimer(accept.includes('scim') ? 'scim' : 'rest');
  let attempts = 1;
  const request = got(url, {
    headers: { accept, ...headers },
    throwHttpErrors: false,
    responseType: 'text',
    timeout: { request: policy.timeoutMs },
    maxRedirects: 5,
    ...guardedLookup(policy),
    retry: {
      limit: policy.retries,
      methods: ['GET'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      maxRetryAfter: Number.POSITIVE_INFINITY,
      calculateDelay: retryDelay(policy),
    },
    hooks: {
      beforeRedirect: [
        (options) => {
          const target = new URL(options.url as URL);
          guardLiteral(target, policy);
          if (target.origin !== origin) {
            for (const name of Object.keys(headers)) delete options.headers[name.toLowerCase()];
          }
        },
      ],
      beforeRetry: [
        () => {
          attempts += 1;
        },
      ],
    },
  });
  // on() returns the same request, awaited below.
  void request.on('downloadProgress', (progress) => {
    if (progress.transferred > policy.maxResponseBytes) request.cancel();
  });
  try {
    const response = await request;
    timer.done(response.statusCode);
    return {
      status: response.statusCode,
      url: response.url,
      headers: response.headers,
      contentType: response.headers['content-type'],
      body: response.body,
      attempts,
    };
  } catch (error) {
    timer.done('error');
    if (error instanceof RequestError) throw describeFailure(error, `GET ${url.toString()}`, policy);
    throw error;
  }
}

/** Supplies the credential headers; `refresh` renews them after a 401 (OAuth) and says whether it could. */
export interface ProviderAuth {
  headers(): Promise<Record<string, string>>;
  refresh?(): Promise<boolean>;
}

/** GET with the connector's credentials, renewed once on a 401 when the auth can. */
export async function authorizedGet(
  url: URL,
  auth: ProviderAuth,
  policy: HttpPolicy,
  accept?: string,
): Promise<ProviderResponse> {
  const response = await providerGet(url, await auth.headers(), policy, accept);
  if (response.status !== 401 || !auth.refresh || !(await auth.refresh())) return response;
  return providerGet(url, await auth.headers(), policy, accept);
}

/** A Fetch API Response from got's answer (for libraries that take a fetch). */
function asFetchResponse(status: number, headers: Headers, body: Buffer): Response {
  const responseHeaders = new globalThis.Headers();
  for (const [name, value] of Object.entries(headers)) {
    for (const item of [value ?? []].flat()) responseHeaders.append(name, item);
  }
  const empty = status === 204 || status === 304;
  return new Response(empty ? null : new Uint8Array(body), { status, headers: responseHeaders });
}

/** Form and text bodies: what OAuth token and revocation requests send. */
function bodyOf(init: RequestInit): { body?: string } {
  if (init.body === undefined || init.body === null) return {};
  if (typeof init.body === 'string' || init.body instanceof URLSearchParams)
    return { body: String(init.body) };
  throw new TypeError('guardedFetch sends text and form bodies only');
}

/**
 * A fetch for the calls libraries make to a provider (OAuth tokens, revocation): the SSRF guard on
 * the connection itself, no redirect followed (a token endpoint has no reason to send one), a
 * timeout, and no retries, since such requests are not idempotent.
 */
export function guardedFetch(policy: HttpPolicy) {
  return async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(url);
    const method = (init.method ?? 'GET').toUpperCase() as Method;
    guardLiteral(target, policy);
    const headers = Object.fromEntries(new globalThis.Headers(init.headers));
    const timer = providerRequestTimer('oauth');
    if (init.body instanceof URLSearchParams)
      headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    try {
      const response = await got(target, {
        method,
        headers,
        ...bodyOf(init),
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        responseType: 'buffer',
        timeout: { request: policy.timeoutMs },
        ...guardedLookup(policy),
      });
      timer.done(response.statusCode);
      return asFetchResponse(response.statusCode, response.headers, response.body);
    } catch (error) {
      timer.done('error');
      if (error instanceof RequestError) throw describeFailure(error, `${method} ${target}`, policy);
      throw error;
    }
  };
}
