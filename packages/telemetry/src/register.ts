/**
 * Loaded before the app, with `node --import <this file>` (Apollo's advice: instrument before anything
 * else is imported). Starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise loads
 * nothing of it.
 */
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) await import('./sdk.js');

export {};
