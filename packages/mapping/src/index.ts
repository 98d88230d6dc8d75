export * from './attributes.js';
export * from './mapping.js';
export * from './scim-mapping.js';
export * from './transform.js';
