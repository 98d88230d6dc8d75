export * from './context.js';
export * from './paging.js';
export * from './schema.js';
export * from './server.js';
export type { Request, Response, Router } from 'express';
export * from './service.js';
export * from './loaders.js';
export { sendLines } from './lines.js';
export * from './subscriptions.js';
