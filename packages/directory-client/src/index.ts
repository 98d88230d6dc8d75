export * from './client.js';
export * from './user-batch.js';
export * from './views.js';
export * from './normalize.js';
export * from './api-keys.js';
export * from './import-holds.js';
