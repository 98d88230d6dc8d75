import { jsonPathProblem, pathGuardProblem, transformProblem, USER_ATTRIBUTES } from '@uif/mapping';
import { z } from 'zod';
import { PaginationStyle, TotalCountSource } from './connector.types.js';

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

const headerName = z
  .string()
  .trim()
  .regex(HTTP_TOKEN, 'must be a valid HTTP header name')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is a header the connection itself sets');
const apiKeySchema = z.object({ headerName, headerValue: noLineBreaks(4096) });
const bearerSchema = z.object({ token: noLineBreaks(8192) });
const oauth2Schema = z.object({
  authorizationUrl: httpUrl,
  clientId: noLineBreaks(512),
  clientSecret: noLineBreaks(4096),
  accessTokenUrl: httpUrl,
  revokeUrl: httpUrl.nullish(),
  scopes: z.string().trim().max(2048).nullish(),
});

const clientCredentialsSchema = z.object({
  accessTokenUrl: httpUrl,
  clientId: noLineBreaks(512),
  clientSecret: noLineBreaks(4096),
  scopes: z.string().trim().max(2048).nullish(),
  audience: z.string().trim().max(2048).nullish(),
  credentialsInBody: z.boolean().nullish(),
});
const basicSchema = z.object({
  // RFC 7617: the user id may not hold a colon, which separates it from the password.
  username: noLineBreaks(512).refine((name) => !name.includes(':'), 'must not contain a colon'),
  password: noLineBreaks(4096),
});

export const authSchema = z
  .object({
    apiKey: apiKeySchema.nullish(),
    bearerToken: bearerSchema.nullish(),
    oauth2: oauth2Schema.nullish(),
    oauth2ClientCredentials: clientCredentialsSchema.nullish(),
    basic: basicSchema.nullish(),
  })
  .refine((auth) => Object.values(auth).filter(Boolean).length === 1, {
    message: 'exactly one of apiKey, bearerToken, oauth2, oauth2ClientCredentials and basic must be set',
  });
export type AuthInput = z.output<typeof authSchema>;

const parameterName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[\w.[\]-]+$/, 'must be a query parameter name');

/** A JSON path into a page's body, dotted (meta.next_cursor) or starting with $. */
const bodyPath = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(512)
  .superRefine((path, context) => {
    const problem = jsonPathProblem(path.startsWith('$') ? path : `$.${path}`);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** Extra headers: never one the connection or the auth method sets, never the same name twice. */
const extraHeadersSchema = z
  .array(
    z.object({
      name: headerName.refine((name) => name.toLowerCase() !== 'authorization', 'is set by the auth method'),
      value: noLineBreaks(4096),
    }),
  )
  .max(20, 'must not list more than 20 headers')
  .superRefine((headers, context) => {
    const names = headers.map((header) => header.name.toLowerCase());
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index)
        context.addIssue({ code: 'custom', path: [index, 'name'], message: `names ${name} twice` });
    });
  });

/** The parameter each style sends the page's place in; NEXT_URL follows URLs instead. */
const PLACE_PARAMETER: Record<PaginationStyle, string | null> = {
  OFFSET: 'the offset',
  PAGE_NUMBER: 'the page number',
  CURSOR: 'the cursor',
  NEXT_URL: null,
};

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
    offsetParam: parameterName.nullish(),
    pageSize: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').nullish(),
    pagination: z.enum(PaginationStyle).nullish(),
    firstPage: z.number().int().min(0, 'must be 0 or 1').max(1, 'must be 0 or 1').nullish(),
    cursorPath: bodyPath.nullish(),
    nextUrlPath: bodyPath.nullish(),
    extraHeaders: extraHeadersSchema.nullish(),
  })
  .superRefine((endpoint, context) => {
    if (endpoint.totalCountSource !== TotalCountSource.NONE && !endpoint.totalCountLocation) {
      const what =
        endpoint.totalCountSource === TotalCountSource.HEADER
          ? 'the header name'
          : 'the JSON path in the body';
      context.addIssue({ code: 'custom', path: ['totalCountLocation'], message: `must name ${what}` });
    }
    const bodyPaths = {
      totalCountLocation:
        endpoint.totalCountSource === TotalCountSource.BODY ? endpoint.totalCountLocation : null,
      cursorPath: endpoint.cursorPath,
      nextUrlPath: endpoint.nextUrlPath,
    };
    for (const [field, path] of Object.entries(bodyPaths)) {
      const problem = path ? pathGuardProblem(path) : null;
      if (problem) context.addIssue({ code: 'custom', path: [field], message: problem });
    }
    const style = endpoint.pagination ?? PaginationStyle.OFFSET;
    const place = PLACE_PARAMETER[style];
    if (place && !endpoint.offsetParam) {
      context.addIssue({
        code: 'custom',
        path: ['offsetParam'],
        message: `must name ${place} parameter (${style})`,
      });
    }
    if (place && endpoint.limitParam === endpoint.offsetParam) {
      context.addIssue({ code: 'custom', path: ['offsetParam'], message: 'must differ from limitParam' });
    }
    if (style === PaginationStyle.CURSOR && !endpoint.cursorPath) {
      context.addIssue({
        code: 'custom',
        path: ['cursorPath'],
        message: "must name where the next page's cursor is in the body (CURSOR), e.g. meta.next_cursor",
      });
    }
  })
  .transform(({ extraHeaders, ...endpoint }) => {
    const style = endpoint.pagination ?? PaginationStyle.OFFSET;
    return {
      endpoint: {
        ...endpoint,
        totalCountLocation:
          endpoint.totalCountSource === TotalCountSource.NONE ? null : (endpoint.totalCountLocation ?? null),
        pageSize: endpoint.pageSize ?? 100,
        pagination: style,
        offsetParam: PLACE_PARAMETER[style] ? endpoint.offsetParam! : '',
        firstPage: style === PaginationStyle.PAGE_NUMBER ? (endpoint.firstPage ?? 1) : null,
        cursorPath: style === PaginationStyle.CURSOR ? endpoint.cursorPath! : null,
        nextUrlPath: style === PaginationStyle.NEXT_URL ? (endpoint.nextUrlPath ?? null) : null,
      },
      /** Absent: the headers saved before stay. */
      extraHeaders: extraHeaders ?? null,
    };
  });

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
/** A JSONata expression, compiled to find its syntax errors; null or blank: none. */
const transform = z
  .string()
  .max(4096)
  .nullish()
  .transform((expression) => (expression?.trim() ? expression : null));
/** Its syntax errors, found by compiling it; `label` says which entry the reason is about. */
function checkTransform(
  expression: string | null,
  context: z.RefinementCtx,
  path: string[] = [],
  label = '',
): void {
  const problem = expression ? transformProblem(expression) : null;
  if (problem) context.addIssue({ code: 'custom', path, message: `${label}${problem}` });
}
/** An entry names its target in the reason, so the admin sees which one to fix. */
const mappingEntry = z
  .object({ target: z.enum(USER_ATTRIBUTES), sourcePath: jsonPath, transform })
  .superRefine((entry, context) =>
    checkTransform(entry.transform, context, ['transform'], `(${entry.target}) `),
  );

export const mappingSchema = z
  .object({
    entries: z.array(mappingEntry).max(USER_ATTRIBUTES.length),
    externalIdPath: jsonPath.nullish(),
    statusPath: jsonPath.nullish(),
    statusTransform: transform.superRefine((expression, context) => checkTransform(expression, context)),
    inactiveStatuses: statusList.nullish(),
    activeStatuses: statusList.nullish(),
  })
  .superRefine((mapping, context) => {
    const targets = mapping.entries.map((entry) => entry.target);
    for (const required of ['EMAIL', 'USERNAME'] as const) {
      if (!targets.includes(required))
        context.addIssue({ code: 'custom', path: ['entries'], message: `must map ${required}` });
    }
    if (mapping.statusTransform && !mapping.statusPath) {
      context.addIssue({
        code: 'custom',
        path: ['statusTransform'],
        message: 'needs a statusPath to read from ("$" for the whole user)',
      });
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
    entries: mapping.entries.map(({ target, sourcePath, transform }) => ({
      target,
      sourcePath,
      ...(transform ? { transform } : {}),
    })),
    externalIdPath: mapping.externalIdPath ?? '$.id',
    statusPath: mapping.statusPath || null,
    statusTransform: mapping.statusTransform ?? null,
    inactiveStatuses: mapping.inactiveStatuses ?? ['Leave', 'Inactive'],
    activeStatuses: mapping.activeStatuses ?? ['Onboarding', 'Active'],
  }));
