export * from './errors.js';
export * from './http.js';
export * from './pages.js';
export * from './ssrf.js';
