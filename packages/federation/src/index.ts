export { spawnService, type ChildOutput, type ChildService, type SpawnOptions } from './child.js';
export { startFederation, type Federation, type FederationOptions, type InProcess } from './federation.js';
export type { Env, Ports, ServiceName } from './wiring.js';
