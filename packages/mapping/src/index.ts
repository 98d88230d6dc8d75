export * from './attributes.js';
export * from './mapping.js';
