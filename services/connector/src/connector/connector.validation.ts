import { jsonPathProblem, pathGuardProblem, USER_ATTRIBUTES } from '@uif/mapping';
import { z } from 'zod';
import { InvalidConnectorInputError } from './connector.errors.js';
import { TotalCountSource } from './connector.types.js';

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers the HTTP client or the connection own: an API key may not take their place. */
const RESERVED_HEADERS = new Set([
  'host',
  'cookie',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'accept',
  'accept-encoding',
  'proxy-authorization',
  'proxy-connection',
]);

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const noLineBreaks = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max)
    .refine((value) => !/[\r\n\0]/.test(value), 'must not contain line breaks');
const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    'must be an http(s) URL',
  );

const apiKeySchema = z.object({
  headerName: z
    .string()
    .trim()
    .regex(HTTP_TOKEN, 'must be a valid HTTP header name')
    .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is a header the connection itself sets'),
  headerValue: noLineBreaks(4096),
});
const bearerSchema = z.object({ token: noLineBreaks(8192) });
const oauth2Schema = z.object({
  authorizationUrl: httpUrl,
  clientId: noLineBreaks(512),
  clientSecret: noLineBreaks(4096),
  accessTokenUrl: httpUrl,
  revokeUrl: httpUrl.nullish(),
  scopes: z.string().trim().max(2048).nullish(),
});

export const authSchema = z
  .object({
    apiKey: apiKeySchema.nullish(),
    bearerToken: bearerSchema.nullish(),
    oauth2: oauth2Schema.nullish(),
  })
  .refine((auth) => [auth.apiKey, auth.bearerToken, auth.oauth2].filter(Boolean).length === 1, {
    message: 'exactly one of apiKey, bearerToken and oauth2 must be set',
  });
export type AuthInput = z.output<typeof authSchema>;

const parameterName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[\w.[\]-]+$/, 'must be a query parameter name');

export const listUsersSchema = z
  .object({
    path: z.string().trim().max(1024).regex(/^\//, 'must start with /, e.g. /employees'),
    resourceLocation: z
      .string()
      .trim()
      .min(1, "must not be empty ('.' for a root array)")
      .max(512)
      .regex(/^(\.|\$|(\$\.)?[\w-]+(\.[\w-]+)*)$/, "must be '.' or a dotted path such as data.users"),
    totalCountSource: z.enum(TotalCountSource),
    totalCountLocation: z.string().trim().max(512).nullish(),
    limitParam: parameterName,
    offsetParam: parameterName,
    pageSize: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').nullish(),
  })
  .superRefine((endpoint, context) => {
    if (endpoint.totalCountSource !== TotalCountSource.NONE && !endpoint.totalCountLocation) {
      const what =
        endpoint.totalCountSource === TotalCountSource.HEADER
          ? 'the header name'
          : 'the JSON path in the body';
      context.addIssue({ code: 'custom', path: ['totalCountLocation'], message: `must name ${what}` });
    }
    const bodyPathProblem =
      endpoint.totalCountSource === TotalCountSource.BODY && endpoint.totalCountLocation
        ? pathGuardProblem(endpoint.totalCountLocation)
        : null;
    if (bodyPathProblem)
      context.addIssue({ code: 'custom', path: ['totalCountLocation'], message: bodyPathProblem });
    if (endpoint.limitParam === endpoint.offsetParam) {
      context.addIssue({ code: 'custom', path: ['offsetParam'], message: 'must differ from limitParam' });
    }
  })
  .transform((endpoint) => ({
    ...endpoint,
    totalCountLocation:
      endpoint.totalCountSource === TotalCountSource.NONE ? null : (endpoint.totalCountLocation ?? null),
    pageSize: endpoint.pageSize ?? 100,
  }));

export const scimConnectorSchema = z.object({
  displayLabel: text(255),
  description: z.string().trim().max(1024).nullish(),
  baseUrl: httpUrl,
  auth: authSchema,
});

export const customApiConnectorSchema = scimConnectorSchema.extend({ listUsers: listUsersSchema });

export const connectorUpdateSchema = z.object({
  displayLabel: text(255).nullish(),
  description: z.string().trim().max(1024).nullish(),
  baseUrl: httpUrl.nullish(),
  auth: authSchema.nullish(),
  listUsers: listUsersSchema.nullish(),
});

const jsonPath = z
  .string()
  .trim()
  .superRefine((path, context) => {
    const problem = jsonPathProblem(path);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
const statusList = z.array(z.string().trim().min(1).max(255)).max(100);

export const mappingSchema = z
  .object({
    entries: z
      .array(z.object({ target: z.enum(USER_ATTRIBUTES), sourcePath: jsonPath }))
      .max(USER_ATTRIBUTES.length),
    externalIdPath: jsonPath.nullish(),
    statusPath: jsonPath.nullish(),
    inactiveStatuses: statusList.nullish(),
    activeStatuses: statusList.nullish(),
  })
  .superRefine((mapping, context) => {
    const targets = mapping.entries.map((entry) => entry.target);
    for (const required of ['EMAIL', 'USERNAME'] as const) {
      if (!targets.includes(required))
        context.addIssue({ code: 'custom', path: ['entries'], message: `must map ${required}` });
    }
    targets.forEach((target, index) => {
      if (targets.indexOf(target) !== index) {
        context.addIssue({
          code: 'custom',
          path: ['entries', index, 'target'],
          message: `maps ${target} twice`,
        });
      }
    });
  })
  .transform((mapping) => ({
    entries: mapping.entries,
    externalIdPath: mapping.externalIdPath ?? '$.id',
    statusPath: mapping.statusPath || null,
    inactiveStatuses: mapping.inactiveStatuses ?? ['Leave', 'Inactive'],
    activeStatuses: mapping.activeStatuses ?? ['Onboarding', 'Active'],
  }));

/** Parses an input whole; on any problem, one BAD_USER_INPUT naming every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = 'input'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new InvalidConnectorInputError(problems.map((p) => `${p.field} ${p.message}`).join('; '), [
    ...new Set(problems.map((p) => p.field)),
  ]);
}
