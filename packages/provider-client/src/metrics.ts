import { counter, histogram, statusClass } from '@uif/metrics';

/** rest: a custom API's pages; scim: a SCIM service; oauth: token and revocation calls. */
export type ProviderRequestKind = 'rest' | 'scim' | 'oauth';

const requests = counter({
  name: 'uif_provider_requests_total',
  help: 'Requests to providers (retries included in one request), by kind and HTTP status class',
  labelNames: ['kind', 'status_class'],
});

const duration = histogram({
  name: 'uif_provider_request_duration_seconds',
  help: 'How long a provider request took, retries and their waits included',
  labelNames: ['kind'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

/** Starts timing one provider request; `done` counts it with its final status, or 'error' when none came. */
export function providerRequestTimer(kind: ProviderRequestKind): { done(status: number | 'error'): void } {
  const stop = duration.startTimer({ kind });
  return {
    done(status) {
      stop();
      requests.inc({ kind, status_class: statusClass(status) });
    },
  };
}
