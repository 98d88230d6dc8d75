import { register } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createAddHookMessageChannel } from 'import-in-the-middle';

// Our code and its dependencies are ES modules: this hook lets the instrumentations patch them. It
// intercepts only the modules the instrumentations ask for (wrapping every module slows start-up).
const hooks = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, hooks.registerOptions);

/** Probes and scrapes come every few seconds and say nothing about a request: no spans for them. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Configured by the SDK's standard variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_PROTOCOL,
 * OTEL_TRACES_SAMPLER, …): incoming and outgoing HTTP (the gateway, the internal calls, providers),
 * fetch, SQL on MySQL, Redis, and the trace id in every log line written inside a span.
 */
const sdk = new NodeSDK({
  instrumentations: [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]!),
    }),
    new UndiciInstrumentation(),
    new MySQL2Instrumentation(),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new PinoInstrumentation(),
  ],
});
sdk.start();
await hooks.waitForAllMessagesAcknowledged();

// Spans still waiting in the batch are sent before the process goes (runService exits on SIGTERM).
const flush = () => void sdk.shutdown().catch(() => undefined);
process.once('SIGTERM', flush);
process.once('SIGINT', flush);
