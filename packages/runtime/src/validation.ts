import type { z } from 'zod';
import { BadUserInputError } from './errors.js';

/** A BadUserInputError subclass a service raises for its own inputs, e.g. InvalidImportInputError. */
export type BadUserInputErrorClass = new (message: string, fields: string[]) => BadUserInputError;

/** "path: message; …" for every issue: what an internal route or a batch result says of a bad body. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; ');
}

/**
 * Parses a GraphQL `input` whole; on any problem, one BAD_USER_INPUT naming every offending field
 * ("input.name must not be empty; input.baseUrl …"), so a client fixes all of them at once.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  error: BadUserInputErrorClass = BadUserInputError,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    field: ['input', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new error(problems.map((p) => `${p.field} ${p.message}`).join('; '), [
    ...new Set(problems.map((p) => p.field)),
  ]);
}
