import DataLoader from 'dataloader';
import { UnauthenticatedError } from '@uif/runtime';
import type { SubgraphContext } from './context.js';

/** Loads entities by id, one query per batch; an id the query does not return loads as null. */
export function entityLoader<T extends { id: string }>(
  find: (ids: string[]) => Promise<T[]>,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      const byId = new Map((await find([...ids])).map((entity) => [entity.id, entity]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { maxBatchSize: 1000 },
  );
}

export type ServiceContext<Services, Loaders> = SubgraphContext & { services: Services; loaders: Loaders };

/** Stands in for the loaders of a caller without an organization: any use is refused. */
function refusedLoaders<Loaders>(): Loaders {
  return new Proxy({} as Loaders & object, {
    get: () => {
      throw new UnauthenticatedError('This operation needs an organization member');
    },
  });
}

/**
 * A request context with the service's singletons and per-request loaders scoped to the caller's
 * organization (a service identity, which has none, may still ask for the SDL).
 */
export function serviceContext<Services, Loaders>(
  base: SubgraphContext,
  services: Services,
  makeLoaders: (organizationId: string) => Loaders,
): ServiceContext<Services, Loaders> {
  const { identity } = base;
  const loaders =
    identity.kind === 'member' ? makeLoaders(identity.organizationId) : refusedLoaders<Loaders>();
  return { ...base, services, loaders };
}
