export * from './database.js';
export * from './graphql.js';
export * from './logs.js';
export * from './misc.js';
export * from './http-server.js';
export * from './hr-provider.js';
export * from './hr-employees.js';
