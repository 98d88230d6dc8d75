import { GraphQLJSON } from 'graphql-scalars';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '@uif/subgraph';

export enum ImportOperation {
  USER_CREATE = 'USER_CREATE',
  USER_UPDATE = 'USER_UPDATE',
}
registerEnumType(ImportOperation, { name: 'ImportOperation' });

export enum ImportTrigger {
  MANUAL = 'MANUAL',
  SCHEDULED = 'SCHEDULED',
}
registerEnumType(ImportTrigger, { name: 'ImportTrigger' });

export enum ImportJobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
}
registerEnumType(ImportJobStatus, {
  name: 'ImportJobStatus',
  valuesConfig: {
    PARTIAL: { description: 'Finished, but some users failed.' },
    AWAITING_APPROVAL: {
      description:
        "Stopped before changing anything: the planned suspensions tripped the connector's brake.\napproveImport applies the plan as decided; cancelImport drops it.",
    },
  },
});

export enum ImportPhase {
  QUEUED = 'QUEUED',
  FETCHING = 'FETCHING',
  APPLYING = 'APPLYING',
  REPORTING = 'REPORTING',
  DONE = 'DONE',
}
registerEnumType(ImportPhase, { name: 'ImportPhase' });

export enum ImportOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  SUSPENDED = 'SUSPENDED',
  REACTIVATED = 'REACTIVATED',
  UNCHANGED = 'UNCHANGED',
  SKIPPED = 'SKIPPED',
  FAILED = 'FAILED',
}
registerEnumType(ImportOutcome, { name: 'ImportOutcome' });

@ObjectType()
export class ImportCounts {
  @Field(() => Int)
  fetched!: number;
  @Field(() => Int)
  created!: number;
  @Field(() => Int)
  updated!: number;
  @Field(() => Int)
  suspended!: number;
  @Field(() => Int)
  reactivated!: number;
  @Field(() => Int)
  unchanged!: number;
  @Field(() => Int)
  skipped!: number;
  @Field(() => Int)
  failed!: number;
}

export type Counts = { [K in keyof ImportCounts]: number };

export const emptyCounts = (): Counts => ({
  fetched: 0,
  created: 0,
  updated: 0,
  suspended: 0,
  reactivated: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
});

/** The count an outcome adds to. */
export const COUNT_OF_OUTCOME: Record<ImportOutcome, keyof Counts> = {
  CREATED: 'created',
  UPDATED: 'updated',
  SUSPENDED: 'suspended',
  REACTIVATED: 'reactivated',
  UNCHANGED: 'unchanged',
  SKIPPED: 'skipped',
  FAILED: 'failed',
};

/** A directory user, referenced by id; the directory subgraph resolves its fields. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class AttributeChange {
  @Field({ description: 'The directory attribute, e.g. department or state.' })
  attribute!: string;
  @Field(() => GraphQLJSON, { nullable: true })
  from!: unknown;
  @Field(() => GraphQLJSON, { nullable: true })
  to!: unknown;
}

@ObjectType()
export class ImportResult {
  @Field(() => String, { nullable: true })
  externalId!: string | null;
  @Field(() => String, { nullable: true })
  email!: string | null;
  @Field(() => String, { nullable: true })
  username!: string | null;
  @Field(() => ImportOutcome)
  outcome!: ImportOutcome;
  @Field(() => String, { nullable: true, description: 'Why it was skipped or failed, or what changed.' })
  detail!: string | null;
  @Field(() => User, { nullable: true })
  user!: User | null;
  @Field(() => [AttributeChange], {
    description:
      "For an update or suspension (done, or planned in a dry run): each attribute's old and new value.",
  })
  changes!: AttributeChange[];
}

@ObjectType()
export class ImportResultConnection {
  @Field(() => Int)
  totalCount!: number;
  @Field(() => [ImportResult])
  nodes!: ImportResult[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType()
export class ImportCandidate {
  @Field()
  externalId!: string;
  @Field(() => String, { nullable: true })
  email!: string | null;
  @Field(() => String, { nullable: true })
  username!: string | null;
  @Field(() => String, { nullable: true })
  firstname!: string | null;
  @Field(() => String, { nullable: true })
  lastname!: string | null;
  @Field(() => String, { nullable: true })
  displayname!: string | null;
  @Field(() => String, { nullable: true })
  status!: string | null;
}

@ObjectType()
export class ImportCandidateConnection {
  @Field(() => Int)
  totalCount!: number;
  @Field(() => [ImportCandidate])
  nodes!: ImportCandidate[];
  @Field(() => Int, {
    description:
      'New users left out because the mapping cannot import them (mappedUserPreview says why), so an admin knows they exist.',
  })
  unmappableCount!: number;
}

@InputType({
  description:
    'Start an import. operations picks the option:\n[USER_CREATE, USER_UPDATE] new users and updates; [USER_CREATE] only new users;\n[USER_UPDATE] only updates; selectedExternalIds (with [USER_CREATE]) only those new users.',
})
export class StartImportInput {
  @Field(() => ID)
  connectorId!: string;
  @Field(() => [ImportOperation])
  operations!: ImportOperation[];
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  allowUserReactivation?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description: "Advanced filter, passed to the provider's list endpoint as its query string.",
  })
  query?: string | null;
  @Field(() => [String], { nullable: true })
  selectedExternalIds?: string[] | null;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Decide everything and change nothing: the job ends with the outcome each user would have\n(results with their attribute changes), and writes no user, event or email.',
  })
  dryRun?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'With USER_UPDATE: also suspend users this connector imported that a complete listing no longer\nhas. Never applied after a filtered, selected or incomplete listing.',
  })
  suspendMissingUsers?: boolean | null;
}

/** Why a job stopped to wait for approval: what was planned against the limits of the time. */
@ObjectType()
export class BrakeTrip {
  @Field(() => Int)
  plannedSuspensions!: number;
  @Field(() => Int, { description: "The connector's active users when the brake tripped." })
  activeUsers!: number;
  @Field(() => Int, { nullable: true })
  maxSuspensions!: number | null;
  @Field(() => Float, { nullable: true })
  maxSuspensionPercent!: number | null;
  @Field()
  at!: Date;
}
