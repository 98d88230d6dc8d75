import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import type { ImportContext } from '../context.js';
import { Connector, ImportJob } from '../import-job/import-job.entity.js';
import { ImportSchedule, ImportScheduleOperations } from './import-schedule.entity.js';

@InputType()
export class ImportScheduleInput {
  @Field(() => ID)
  connectorId!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: true })
  enabled?: boolean | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  allowUserReactivation?: boolean | null;
  @Field(() => ImportScheduleOperations)
  operations!: ImportScheduleOperations;
  @Field(() => String, { nullable: true })
  query?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  sendEmail?: boolean | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  suspendMissingUsers?: boolean | null;
}

@Resolver(() => ImportSchedule)
export class ImportScheduleResolver {
  @Mutation(() => ImportSchedule)
  setImportSchedule(
    @Arg('input', () => ImportScheduleInput) input: ImportScheduleInput,
    @Ctx() context: ImportContext,
  ): Promise<ImportSchedule> {
    return context.services.schedules.set(organizationOf(context), input);
  }

  @Mutation(() => Boolean)
  deleteImportSchedule(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() context: ImportContext,
  ): Promise<boolean> {
    return context.services.schedules.delete(organizationOf(context), connectorId);
  }

  @FieldResolver(() => Connector)
  connector(@Root() schedule: ImportSchedule): Connector {
    return { id: schedule.connectorId };
  }

  @FieldResolver(() => Date, { nullable: true })
  nextRunAt(@Root() schedule: ImportSchedule): Date | null {
    return schedule.enabled ? schedule.nextRunAt : null;
  }

  @FieldResolver(() => ImportJob, {
    nullable: true,
    description:
      'A job of this connector awaiting approval: ticks are skipped until it is approved or cancelled.',
  })
  pausedBy(@Root() schedule: ImportSchedule, @Ctx() context: ImportContext): Promise<ImportJob | null> {
    return context.services.importJobs.awaitingApproval(schedule.organizationId, schedule.connectorId);
  }

  @FieldResolver(() => ImportJob, { nullable: true })
  lastJob(@Root() schedule: ImportSchedule, @Ctx() context: ImportContext): Promise<ImportJob | null> | null {
    return schedule.lastJobId ? context.loaders.importJobs.load(schedule.lastJobId) : null;
  }
}

@Resolver(() => Connector)
export class ConnectorScheduleResolver {
  @FieldResolver(() => ImportSchedule, { nullable: true, description: 'Resolved by the import subgraph.' })
  importSchedule(
    @Root() connector: Connector,
    @Ctx() context: ImportContext,
  ): Promise<ImportSchedule | null> {
    return context.services.schedules.get(organizationOf(context), connector.id);
  }
}
