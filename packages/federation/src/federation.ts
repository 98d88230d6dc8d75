import type { startConnector } from '@uif/connector';
import type { RunningDirectory } from '@uif/directory';
import type { RunningGateway } from '@uif/gateway';
import type { startImport } from '@uif/import';
import { parseConfig, type Logger } from '@uif/runtime';
import { spawnService, type ChildService, type SpawnOptions } from './child.js';
import { federationEnv, SERVICES, type Env, type Ports, type ServiceName } from './wiring.js';

/** A service run in this process: its own handle. */
export interface InProcess {
  directory: RunningDirectory;
  connector: Awaited<ReturnType<typeof startConnector>>;
  import: Awaited<ReturnType<typeof startImport>>;
  gateway: RunningGateway;
}

/** Each service's code is loaded only when it runs here: the launcher, which runs none, stays small. */
const inProcess: { [K in ServiceName]: (env: Env, log?: Logger) => Promise<InProcess[K]> } = {
  async directory(env, log) {
    const { directoryConfigSchema, startDirectory } = await import('@uif/directory');
    return startDirectory(parseConfig('directory', directoryConfigSchema, env), { log });
  },
  async connector(env, log) {
    const { connectorConfigSchema, startConnector } = await import('@uif/connector');
    return startConnector(parseConfig('connector', connectorConfigSchema, env), { log });
  },
  async import(env, log) {
    const { importConfigSchema, startImport } = await import('@uif/import');
    return startImport(parseConfig('import', importConfigSchema, env), { log });
  },
  async gateway(env, log) {
    const { gatewayConfigSchema, startGateway } = await import('@uif/gateway');
    return startGateway(parseConfig('gateway', gatewayConfigSchema, env), { log });
  },
};

export interface FederationOptions<Child extends ServiceName, Skipped extends ServiceName, E extends Env> {
  /** Settings for every service: INTERNAL_SECRET, DATABASE_URL, DATA_DIR, HOST, … */
  env: E;
  /** Unset: `env`'s ports, else the embedded defaults (4000–4003). */
  ports?: Ports;
  /** Settings for one service only. */
  serviceEnv?: Partial<Record<ServiceName, Env>>;
  /** Run as child processes (with exactly their settings); the others run in this process. */
  children?: readonly Child[];
  /** Not started at all. */
  skip?: readonly Skipped[];
  /** Where the services in this process log, each as a child logger naming it (unset: their own, at LOG_LEVEL). */
  log?: Logger;
  /** How each child process runs and where its output goes. */
  spawn?: (name: ServiceName) => SpawnOptions;
  /** Abandons the start-up (stopping what has started) when aborted. */
  signal?: AbortSignal;
}

export type Federation<
  Child extends ServiceName = never,
  Skipped extends ServiceName = never,
  E extends Env = Env,
> = {
  [K in Exclude<ServiceName, Skipped>]: K extends Child ? ChildService : InProcess[K];
} & {
  /** Each service's settings as it got them: to start another like it (a worker, a restart). */
  env: Record<ServiceName, E & Env>;
  /** Stops the gateway, then the subgraphs. */
  stop(): Promise<void>;
};

/**
 * Starts the services in order, each once the one before is ready, wired to each other by
 * `federationEnv`. Should one fail (or a child process die) during start-up, the others are stopped.
 */
export async function startFederation<
  const Child extends ServiceName = never,
  const Skipped extends ServiceName = never,
  E extends Env = Env,
>(options: FederationOptions<Child, Skipped, E>): Promise<Federation<Child, Skipped, E>> {
  const env = federationEnv(options.env, options.ports, options.serviceEnv);
  const children: readonly ServiceName[] = options.children ?? [];
  const skipped: readonly ServiceName[] = options.skip ?? [];
  const running = new Map<ServiceName, { stop(): Promise<void> }>();
  const stop = async () => {
    await running.get('gateway')?.stop();
    await Promise.all(
      [...running].filter(([name]) => name !== 'gateway').map(([, service]) => service.stop()),
    );
  };
  // A child that dies while the ones after it start ends the start-up, as it would end the federation.
  const died = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, died.signal]) : died.signal;
  const unwatch: (() => void)[] = [];
  try {
    for (const name of SERVICES) {
      if (skipped.includes(name)) continue;
      if (children.includes(name)) {
        const child = await spawnService(name, env[name], { ...options.spawn?.(name), signal });
        const onExit = () => died.abort(new Error(`${name} exited during start-up`));
        child.child.once('exit', onExit);
        unwatch.push(() => child.child.off('exit', onExit));
        running.set(name, child);
      } else {
        running.set(name, await inProcess[name](env[name], options.log?.child({ service: name })));
      }
      signal.throwIfAborted();
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    for (const forget of unwatch) forget();
  }
  return { ...Object.fromEntries(running), env, stop } as Federation<Child, Skipped, E>;
}
