import { context, propagation } from '@opentelemetry/api';

/** The current trace context as plain strings, to travel with a queued job (empty without tracing). */
export function traceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs `work` inside the trace context a queued job brought along, so its spans join that trace. */
export function inTraceOf<T>(carrier: Record<string, string> | undefined, work: () => T): T {
  if (!carrier) return work();
  return context.with(propagation.extract(context.active(), carrier), work);
}
