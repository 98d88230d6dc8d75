import { actorOf, organizationOf } from '@uif/subgraph';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ImportContext } from '../context.js';
import { Connector, ImportJob, ImportTrigger } from './import-job.entity.js';
import { ImportProgress, progressOf } from './import-progress.js';
import {
  ImportCandidateConnection,
  ImportOutcome,
  ImportResultConnection,
  StartImportInput,
} from './import-job.types.js';

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

  @Query(() => ImportCandidateConnection, {
    description: "New users the provider has that the directory lacks, for 'select specific new users'.",
  })
  importCandidates(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() context: ImportContext,
    @Arg('query', () => String, { nullable: true }) query?: string,
  ): Promise<ImportCandidateConnection> {
    return context.services.candidates(organizationOf(context), connectorId, query ?? null);
  }

  @Mutation(() => ImportJob)
  startImport(
    @Arg('input', () => StartImportInput) input: StartImportInput,
    @Ctx() context: ImportContext,
  ): Promise<ImportJob> {
    const request = {
      organizationId: organizationOf(context),
      actor: actorOf(context),
      trigger: ImportTrigger.MANUAL,
      sendEmail: true,
    };
    return context.services.importJobs.start(request, input);
  }

  @Mutation(() => ImportJob)
  cancelImport(@Arg('jobId', () => ID) jobId: string, @Ctx() context: ImportContext): Promise<ImportJob> {
    return context.services.importJobs.cancel(organizationOf(context), jobId, actorOf(context));
  }

  @Mutation(() => ImportJob, { description: 'Applies a job awaiting approval exactly as it was decided.' })
  approveImport(@Arg('jobId', () => ID) jobId: string, @Ctx() context: ImportContext): Promise<ImportJob> {
    return context.services.importJobs.approve(organizationOf(context), jobId, actorOf(context));
  }

  @FieldResolver(() => Connector)
  connector(@Root() job: ImportJob): Connector {
    return { id: job.connectorId };
  }

  @FieldResolver(() => ImportProgress)
  progress(@Root() job: ImportJob): ImportProgress {
    return progressOf(job);
  }

  @FieldResolver(() => ImportResultConnection)
  results(
    @Root() job: ImportJob,
    @Ctx() context: ImportContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('outcome', () => ImportOutcome, { nullable: true }) outcome?: ImportOutcome,
  ): Promise<ImportResultConnection> {
    return context.services.results.page(job.id, first, after, outcome);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Link to the per-user results as CSV; works without the API key until it expires.',
  })
  resultsDownloadUrl(@Root() job: ImportJob, @Ctx() context: ImportContext): string | null {
    return context.services.links.url(job);
  }
}

@Resolver(() => Connector)
export class ConnectorImportsResolver {
  @FieldResolver(() => [ImportJob], { description: 'Resolved by the import subgraph.' })
  importJobs(
    @Root() connector: Connector,
    @Ctx() context: ImportContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first = 20,
  ): Promise<ImportJob[]> {
    return context.services.importJobs.list(organizationOf(context), connector.id, first);
  }
}

/** `_entities` for ImportJob (scoped to the caller's organization) and for the Connector fields added here. */
export const importReferenceResolvers = {
  ImportJob: {
    __resolveReference: (reference: { id: string }, context: ImportContext) =>
      context.loaders.importJobs.load(reference.id),
  },
  Connector: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  },
};
