import { entityLoader, serviceContext, type ServiceContext, type SubgraphContext } from '@uif/subgraph';
import { In, type DataSource } from 'typeorm';
import { ImportJob } from './import-job/import-job.entity.js';
import { ImportJobService } from './import-job/import-job.service.js';

export function createImportServices(dataSource: DataSource) {
  return { dataSource, importJobs: new ImportJobService(dataSource) };
}
export type ImportServices = ReturnType<typeof createImportServices>;

function importLoaders(dataSource: DataSource, organizationId: string) {
  return {
    importJobs: entityLoader((ids) =>
      dataSource.getRepository(ImportJob).findBy({ organizationId, id: In(ids) }),
    ),
  };
}
export type ImportContext = ServiceContext<ImportServices, ReturnType<typeof importLoaders>>;

export function createImportContext(base: SubgraphContext, services: ImportServices): ImportContext {
  return serviceContext(base, services, (organizationId) =>
    importLoaders(services.dataSource, organizationId),
  );
}
