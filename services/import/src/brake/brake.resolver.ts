import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { ImportContext } from '../context.js';
import { Connector } from '../import-job/import-job.entity.js';
import type { BrakeLimits } from './brake.js';
import { ImportBrake, ImportBrakeInput } from './brake.entity.js';

@Resolver(() => ImportBrake)
export class ImportBrakeResolver {
  @Mutation(() => ImportBrake)
  setImportBrake(
    @Arg('connectorId', () => ID) connectorId: string,
    @Arg('input', () => ImportBrakeInput) input: ImportBrakeInput,
    @Ctx() context: ImportContext,
  ): Promise<BrakeLimits> {
    return context.services.brakes.set(organizationOf(context), connectorId, input);
  }
}

@Resolver(() => Connector)
export class ConnectorBrakeResolver {
  @FieldResolver(() => ImportBrake, {
    description: 'Resolved by the import subgraph. On by default for every connector.',
  })
  importBrake(@Root() connector: Connector, @Ctx() context: ImportContext): Promise<BrakeLimits> {
    return context.services.brakes.get(organizationOf(context), connector.id);
  }
}
