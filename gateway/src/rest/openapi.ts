import { z } from 'zod';
import type { RestRoute } from './route.js';
import { errorSchema } from './schemas.js';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1, as zod writes it (without its $schema line). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'A request field is wrong: the message names it',
  401: 'x-api-key and x-org-id are missing or wrong',
  404: "No such application or job in the caller's organization",
  409: "The application's state does not allow it (e.g. not active)",
  502: 'The application answered badly',
  500: 'Something failed on our side',
};

function queryParameters(route: RestRoute): JsonSchema[] {
  if (!route.query) return [];
  const schema = jsonSchema(route.query, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: 'query',
      required: schema.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function pathParameters(route: RestRoute): JsonSchema[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function operation(route: RestRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {
    [route.status]: {
      description: route.status === 201 ? 'Created' : 'OK',
      content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
    },
  };
  for (const status of [...route.errors, 401, 500].sort()) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    parameters: [...pathParameters(route), ...queryParameters(route)],
    ...(route.body
      ? {
          requestBody: {
            required: false,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of exactly these routes. */
export function openApiDocument(routes: RestRoute[], publicUrl: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'User import federation: import API',
      version: '2.0.0',
      description:
        "JumpCloud's import endpoints, served by the gateway over the public GraphQL API: the same rules, keys and errors.",
    },
    servers: [{ url: new URL('/api/v2', publicUrl).toString() }],
    security: [{ apiKey: [], organization: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        organization: { type: 'apiKey', in: 'header', name: 'x-org-id' },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
  };
}
