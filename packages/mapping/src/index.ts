export * from './attributes.js';
export * from './mapping.js';
export * from './path-guard.js';
export * from './scim-mapping.js';
export * from './transform.js';
export * from './projection.js';
