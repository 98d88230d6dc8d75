import got, { CancelError, RequestError, type Headers, type RetryObject } from 'got';
import { ProviderError, TargetRefusedError } from './errors.js';
import { assertPublicHostLiteral, publicOnlyLookup } from './ssrf.js';

/** How the client treats a provider: what it may reach, how long it waits, how often it retries. */
export interface HttpPolicy {
  /** Loopback and private addresses are refused unless this is set (ALLOW_PRIVATE_NETWORK_TARGETS). */
  allowPrivateNetwork: boolean;
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

function describeFailure(error: RequestError, url: string, policy: HttpPolicy): Error {
  const refused = [error, error.cause].find((e) => e instanceof TargetRefusedError);
  if (refused) return refused as TargetRefusedError;
  if (error instanceof CancelError) {
    return new ProviderError(
      `The provider's answer is larger than ${policy.maxResponseBytes} bytes (GET ${url})`,
    );
  }
  if (error.code === 'ETIMEDOUT') {
    return new ProviderError(`The provider did not answer within ${policy.timeoutMs / 1000} s (GET ${url})`);
  }
  return new ProviderError(
    `Could not reach the provider (GET ${url}): ${error.code ?? ''} ${error.message}`.trim(),
  );
}

/**
 * GET with the policy: the SSRF guard on every connection and redirect, credentials dropped when a
 * redirect leaves the origin, retries, a timeout and a size cap. Answers any HTTP status; throws
 * ProviderError only when no answer came.
 */
export async function providerGet(
  url: URL,
  headers: Record<string, string>,
  policy: HttpPolicy,
): Promise<ProviderResponse> {
  const origin = url.origin;
  const guard = (target: URL) => {
    if (!policy.allowPrivateNetwork) assertPublicHostLiteral(target);
  };
  guard(url);
  let attempts = 1;
  const request = got(url, {
    headers: { accept: 'application/json', ...headers },
    throwHttpErrors: false,
    responseType: 'text',
    timeout: { request: policy.timeoutMs },
    maxRedirects: 5,
    ...(policy.allowPrivateNetwork ? {} : { dnsLookup: publicOnlyLookup as never }),
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
          guard(target);
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
    return {
      status: response.statusCode,
      url: response.url,
      headers: response.headers,
      contentType: response.headers['content-type'],
      body: response.body,
      attempts,
    };
  } catch (error) {
    if (error instanceof RequestError) throw describeFailure(error, url.toString(), policy);
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
): Promise<ProviderResponse> {
  const response = await providerGet(url, await auth.headers(), policy);
  if (response.status !== 401 || !auth.refresh || !(await auth.refresh())) return response;
  return providerGet(url, await auth.headers(), policy);
}
