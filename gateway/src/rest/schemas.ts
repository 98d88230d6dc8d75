import { z } from 'zod';

/** The operations as JumpCloud's import API names them, and as the GraphQL API does. */
export const OPERATIONS = { 'users.create': 'USER_CREATE', 'users.update': 'USER_UPDATE' } as const;
export type RestOperation = keyof typeof OPERATIONS;
const operationNames = Object.keys(OPERATIONS) as [RestOperation, ...RestOperation[]];

const limit = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback).describe(`Page size, 1–${max}`);
const skip = z.coerce.number().int().min(0).default(0).describe('How many to leave out first');

export const applicationsQuery = z.strictObject({
  filter: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('field:$eq:value or field:$ne:value on id, displayLabel, kind or state; repeat to combine'),
  limit: limit(100, 100),
  skip,
});

export const pageQuery = z.strictObject({ limit: limit(100, 100), skip });

export const candidatesQuery = z.strictObject({
  filter: z.string().optional().describe('Only users whose email, username or name contains this text'),
  query: z.string().optional().describe("Sent to the application's list endpoint as its query string"),
  limit: limit(100, 100),
  skip,
});

export const startJobBody = z.strictObject({
  allowUserReactivation: z.boolean().default(false),
  operations: z
    .array(z.enum(operationNames, { message: 'must be users.create or users.update' }))
    .min(1)
    .default(['users.create', 'users.update']),
  queryString: z.string().optional().describe("Sent to the application's list endpoint as its query string"),
  selectedExternalIds: z
    .array(z.string())
    .optional()
    .describe(
      'With operations ["users.create"] only: the new users to import, by their id in the application',
    ),
});

export const scheduleBody = z.strictObject({
  allowUserReactivation: z.boolean().default(false),
  operations: z.strictObject({ userCreate: z.boolean(), userUpdate: z.boolean() }),
  query: z.string().optional().describe("Sent to the application's list endpoint as its query string"),
  sendEmail: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

const timestamp = z.string().describe('ISO 8601, UTC');

export const applicationSchema = z.object({
  id: z.string(),
  _id: z.string().describe('The same id, as JumpCloud spells it'),
  displayLabel: z.string(),
  description: z.string().nullable(),
  kind: z.enum(['CUSTOM_API', 'SCIM']),
  state: z.string(),
  authorized: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const applicationListSchema = z.object({
  totalCount: z.number().int(),
  results: z.array(applicationSchema),
});

const counts = z.object({
  fetched: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  suspended: z.number().int(),
  reactivated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});

export const jobSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED', 'AWAITING_APPROVAL']),
  trigger: z.enum(['MANUAL', 'SCHEDULED']),
  operations: z.array(z.enum(operationNames)),
  allowUserReactivation: z.boolean(),
  queryString: z.string().nullable(),
  startedBy: z.string(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  error: z.string().nullable(),
  counts,
  progress: z.object({
    total: z.number().int().nullable(),
    processed: z.number().int(),
    percent: z.number().nullable(),
  }),
  links: z.object({
    self: z.string(),
    results: z.string(),
    resultsDownload: z
      .string()
      .nullable()
      .describe('The results as CSV; works without the API key for 7 days'),
  }),
});

export const jobListSchema = z.array(jobSchema);

export const resultListSchema = z.object({
  total_count: z.number().int(),
  results: z.array(
    z.object({
      externalId: z.string().nullable(),
      email: z.string().nullable(),
      username: z.string().nullable(),
      outcome: z.enum(['CREATED', 'UPDATED', 'SUSPENDED', 'REACTIVATED', 'UNCHANGED', 'SKIPPED', 'FAILED']),
      detail: z.string().nullable(),
      userId: z.string().nullable(),
    }),
  ),
});

export const candidateListSchema = z.object({
  total_count: z.number().int(),
  users: z.array(
    z.object({
      id: z.string().describe("The user's id in the application"),
      email: z.string().nullable(),
      username: z.string().nullable(),
      firstname: z.string().nullable(),
      lastname: z.string().nullable(),
      displayname: z.string().nullable(),
      status: z.string().nullable(),
    }),
  ),
});

export const scheduleSchema = z.object({
  applicationId: z.string(),
  enabled: z.boolean(),
  allowUserReactivation: z.boolean(),
  operations: z.object({ userCreate: z.boolean(), userUpdate: z.boolean() }),
  query: z.string().nullable(),
  sendEmail: z.boolean(),
  minuteOfHour: z.number().int().describe('Runs every hour at this minute (UTC)'),
  nextRunAt: timestamp.nullable(),
});

export const errorSchema = z.object({
  message: z.string(),
  fields: z.array(z.string()).optional().describe('The request fields that are wrong'),
});
