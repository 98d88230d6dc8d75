import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { ImportContext } from '../context.js';
import { Connector, ImportJob } from './import-job.entity.js';

@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Query(() => ImportJob, { nullable: true })
  importJob(@Arg('id', () => ID) id: string, @Ctx() context: ImportContext): Promise<ImportJob | null> {
    return context.loaders.importJobs.load(id);
  }

  @Query(() => [ImportJob])
  importJobs(
    @Ctx() context: ImportContext,
    @Arg('connectorId', () => ID, { nullable: true }) connectorId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first = 20,
  ): Promise<ImportJob[]> {
    return context.services.importJobs.list(organizationOf(context), connectorId, first);
  }

  @FieldResolver(() => Connector)
  connector(@Root() job: ImportJob): Connector {
    return { id: job.connectorId };
  }
}

/** `_entities` for ImportJob, scoped to the caller's organization. */
export const importJobReferenceResolver = {
  ImportJob: {
    __resolveReference: (reference: { id: string }, context: ImportContext) =>
      context.loaders.importJobs.load(reference.id),
  },
};
