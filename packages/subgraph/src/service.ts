import { openDatabase, type DatabaseSettings } from '@uif/database';
import { configFields, createLogger, type Logger } from '@uif/runtime';
import type { Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { SubgraphContext } from './context.js';
import { startSubgraphServer, type RunningServer } from './server.js';

/** The variables every subgraph reads besides its own port. */
export const serviceConfigFields = {
  HOST: configFields.host,
  INTERNAL_SECRET: configFields.internalSecret,
  DATABASE_URL: configFields.databaseUrl,
  DATA_DIR: configFields.dataDir,
  LOG_LEVEL: configFields.logLevel,
};

export interface ServiceConfig {
  port: number;
  HOST: string;
  INTERNAL_SECRET: string;
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  LOG_LEVEL: string;
}

/** What a service adds once its database is open. */
export interface ServiceWiring<Context extends SubgraphContext> {
  context: (base: SubgraphContext) => Context;
  internalRoutes?: (router: Router) => void;
  /** The internal routes that serve a public link the gateway forwards (see SubgraphServerOptions). */
  publicLinkRoutes?: string[];
}

export interface ServiceOptions<Context extends SubgraphContext> {
  name: string;
  config: ServiceConfig;
  log?: Logger;
  entities: DatabaseSettings['entities'];
  migrations: DatabaseSettings['migrations'];
  queryLogger?: DatabaseSettings['queryLogger'];
  schema: () => Promise<GraphQLSchema>;
  wire: (dataSource: DataSource, log: Logger) => Promise<ServiceWiring<Context>>;
}

export interface RunningService extends RunningServer {
  dataSource: DataSource;
}

/** Opens (and migrates) the service's database, then serves its subgraph; `stop` closes both. */
export async function startService<Context extends SubgraphContext>(
  options: ServiceOptions<Context>,
): Promise<RunningService> {
  const { config } = options;
  const log = options.log ?? createLogger({ name: options.name, level: config.LOG_LEVEL });
  const dataSource = await openDatabase({
    service: options.name,
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    entities: options.entities,
    migrations: options.migrations,
    ...(options.queryLogger ? { queryLogger: options.queryLogger } : {}),
  });
  try {
    const wiring = await options.wire(dataSource, log);
    const server = await startSubgraphServer({
      name: options.name,
      host: config.HOST,
      port: config.port,
      schema: await options.schema(),
      internalSecret: config.INTERNAL_SECRET,
      log,
      context: wiring.context,
      ...(wiring.internalRoutes ? { internalRoutes: wiring.internalRoutes } : {}),
      ...(wiring.publicLinkRoutes ? { publicLinkRoutes: wiring.publicLinkRoutes } : {}),
      readiness: async () => {
        await dataSource.query('SELECT 1');
      },
    });
    return {
      ...server,
      dataSource,
      // Idempotent: a test that restarts a service may stop it twice.
      stop: async () => {
        if (!dataSource.isInitialized) return;
        await server.stop();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
