export { inTraceOf, traceCarrier } from './trace-context.js';
