import { entityLoader, serviceContext, type ServiceContext, type SubgraphContext } from '@uif/subgraph';
import { In, type DataSource } from 'typeorm';
import { DirectoryEventService } from './directory-event/directory-event.service.js';
import { ImportHoldService } from './import-hold/import-hold.service.js';
import { OrganizationService } from './organization/organization.service.js';
import { User } from './user/user.entity.js';
import { UserService } from './user/user.service.js';

export function createDirectoryServices(dataSource: DataSource) {
  return {
    dataSource,
    organizations: new OrganizationService(dataSource),
    users: new UserService(dataSource),
    events: new DirectoryEventService(dataSource),
    importHolds: new ImportHoldService(dataSource),
  };
}
export type DirectoryServices = ReturnType<typeof createDirectoryServices>;

/** Users of the caller's organization: an id of another organization loads as null, even via `_entities`. */
function directoryLoaders(dataSource: DataSource, organizationId: string) {
  return {
    users: entityLoader((ids) => dataSource.getRepository(User).findBy({ organizationId, id: In(ids) })),
  };
}
export type DirectoryContext = ServiceContext<DirectoryServices, ReturnType<typeof directoryLoaders>>;

export function createDirectoryContext(base: SubgraphContext, services: DirectoryServices): DirectoryContext {
  return serviceContext(base, services, (organizationId) =>
    directoryLoaders(services.dataSource, organizationId),
  );
}
