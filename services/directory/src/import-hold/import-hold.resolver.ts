import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { DirectoryContext } from '../context.js';
import { Connector, connectorReference, ImportJob, importJobReference } from '../federation/references.js';
import { ImportHold } from './import-hold.entity.js';

@Resolver(() => ImportHold)
export class ImportHoldResolver {
  @Query(() => [ImportHold], {
    description: 'Imports the brake held, and their approval or cancellation, newest first.',
  })
  importHolds(
    @Ctx() context: DirectoryContext,
    @Arg('connectorId', () => ID, { nullable: true }) connectorId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
  ): Promise<ImportHold[]> {
    return context.services.importHolds.list(organizationOf(context), connectorId, first);
  }

  @FieldResolver(() => Connector)
  connector(@Root() hold: ImportHold): Connector {
    return connectorReference(hold.connectorId)!;
  }

  @FieldResolver(() => ImportJob)
  importJob(@Root() hold: ImportHold): ImportJob {
    return importJobReference(hold.importJobId)!;
  }
}
