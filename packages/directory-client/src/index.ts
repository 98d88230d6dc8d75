export * from './client.js';
export * from './user-batch.js';
