export * from './errors.js';
export * from './http.js';
export * from './pages.js';
export * from './scim.js';
export * from './ssrf.js';
