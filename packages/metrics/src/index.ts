import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  register,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * One registry per process (prom-client's global one). Our metrics are named uif_*; labels carry
 * kinds, statuses and outcomes only, never user data, ids or secrets.
 */
let defaultsCollected = false;

/** Process and Node metrics (CPU, memory, event loop lag, GC), started once per process. */
function collectDefaults(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register });
}

// Processes that start several services (the tests, one process for all) define each metric once.
function existing<T>(name: string): T | undefined {
  return register.getSingleMetric(name) as T | undefined;
}

export function counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return existing<Counter<L>>(config.name) ?? new Counter(config);
}

export function histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return existing<Histogram<L>>(config.name) ?? new Histogram(config);
}

export function gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  return existing<Gauge<L>>(config.name) ?? new Gauge(config);
}

/** `GET /metrics` in Prometheus' text format, for any node:http or express server. */
export function metricsHandler() {
  collectDefaults();
  return (_req: IncomingMessage, res: ServerResponse): void => {
    register
      .metrics()
      .then((body) => {
        res.writeHead(200, { 'content-type': register.contentType });
        res.end(body);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`Metrics could not be collected: ${error instanceof Error ? error.message : String(error)}`);
      });
  };
}

/** 2xx … 5xx, or `error` when no answer came. */
export function statusClass(status: number | 'error'): string {
  return status === 'error' ? 'error' : `${Math.floor(status / 100)}xx`;
}
