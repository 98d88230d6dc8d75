export * from './data-source.js';
export * from './query-counter.js';
export * from './bulk-insert.js';
export * from './driver-errors.js';
export * from './find-in.js';
