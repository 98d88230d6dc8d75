export * from './config.js';
export * from './errors.js';
export * from './identity.js';
export * from './logger.js';
export * from './process.js';
export * from './internal-http.js';
export * from './validation.js';
export * from './subscriptions.js';
