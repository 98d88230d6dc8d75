import { ApiError } from '../api/client';

export type FieldErrors = Record<string, string>;

/**
 * The server names each offending field (`input.listUsers.path must start with /`): map every
 * problem to the form field it belongs to, so each shows beside its input.
 */
export function fieldErrorsOf(error: unknown): { fields: FieldErrors; general: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, general: String(error) };
  if (error.code !== 'BAD_USER_INPUT' || error.fields.length === 0)
    return { fields: {}, general: error.message };
  const fields: FieldErrors = {};
  const unplaced: string[] = [];
  for (const problem of error.message.split('; ')) {
    const field = error.fields
      .filter((name) => problem.startsWith(`${name} `))
      .sort((a, b) => b.length - a.length)[0];
    if (field) {
      const key = field.replace(/^input\./, '');
      fields[key] = [fields[key], problem.slice(field.length + 1)].filter(Boolean).join('; ');
    } else unplaced.push(problem);
  }
  return { fields, general: unplaced.length ? unplaced.join('; ') : null };
}

/** Every required field left empty, named at once. */
export function missing(values: Record<string, string>, required: string[]): FieldErrors {
  return Object.fromEntries(
    required.filter((name) => !(values[name] ?? '').trim()).map((name) => [name, 'is required']),
  );
}
