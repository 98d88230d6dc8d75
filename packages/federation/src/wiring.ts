import { DEFAULT_PORTS, linkedDefaults } from '@uif/runtime';

/** In start-up order: each one needs those before it (the gateway reads every subgraph's schema). */
export const SERVICES = ['directory', 'connector', 'import', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export type Env = Record<string, string>;
export type Ports = Record<ServiceName, number>;

const PORT_SETTINGS = {
  directory: 'DIRECTORY_PORT',
  connector: 'CONNECTOR_PORT',
  import: 'IMPORT_PORT',
  gateway: 'PORT',
} as const satisfies Record<ServiceName, keyof typeof DEFAULT_PORTS>;

/** Every service listens on HOST: the others find it there, unless HOST means every interface. */
function reachableHost(env: Env): string {
  const host = env.HOST;
  return !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

function portOf(name: ServiceName, env: Env): number {
  const value = env[PORT_SETTINGS[name]];
  return value && /^\d+$/.test(value) ? Number(value) : DEFAULT_PORTS[PORT_SETTINGS[name]];
}

/** Where the service that `env` configures answers, from this machine. */
export function serviceUrl(name: ServiceName, env: Env): string {
  const host = reachableHost(env);
  return `http://${host.includes(':') ? `[${host}]` : host}:${portOf(name, env)}`;
}

/**
 * The wiring: each service's settings. All get `env` and every port (given, else `env`'s, else the
 * embedded defaults), so each knows the others' URLs before any starts (the connector tells the
 * import service of (de)activations; OAuth providers come back to PUBLIC_URL); `env` wins over the
 * derived URLs, and `serviceEnv` over everything for its service.
 */
export function federationEnv<E extends Env>(
  env: E,
  ports?: Ports,
  serviceEnv: Partial<Record<ServiceName, Env>> = {},
): Record<ServiceName, E & Env> {
  const portEnv = Object.fromEntries(
    SERVICES.map((name) => [PORT_SETTINGS[name], String(ports?.[name] ?? portOf(name, env))]),
  );
  const shared = { ...linkedDefaults(portEnv, reachableHost(env)), ...env, ...portEnv };
  return Object.fromEntries(SERVICES.map((name) => [name, { ...shared, ...serviceEnv[name] }])) as Record<
    ServiceName,
    E & Env
  >;
}
