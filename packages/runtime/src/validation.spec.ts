import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BadUserInputError } from './errors.js';
import { describeZodIssues, parseInput } from './validation.js';

const schema = z.object({
  name: z.string().min(1, 'must not be empty'),
  emails: z.array(z.email({ message: 'must be email addresses' }).max(5, 'is too long')),
});

class InvalidThingError extends BadUserInputError {}

describe('parseInput', () => {
  it('returns the parsed input', () => {
    expect(parseInput(schema, { name: 'a', emails: [] })).toEqual({ name: 'a', emails: [] });
  });

  it('raises one BAD_USER_INPUT naming every offending field once, as the given class', () => {
    const parse = () => parseInput(schema, { name: '', emails: ['not-an-email'] }, InvalidThingError);
    expect(parse).toThrow(InvalidThingError);
    expect(parse).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        message:
          'input.name must not be empty; input.emails.0 must be email addresses; input.emails.0 is too long',
        extensions: { fields: ['input.name', 'input.emails.0'] },
      }),
    );
  });
});

describe('describeZodIssues', () => {
  it('says every issue as path: message', () => {
    const parsed = schema.safeParse({ name: '', emails: 'x' });
    expect(parsed.success).toBe(false);
    expect(describeZodIssues(parsed.error!)).toBe(
      'name: must not be empty; emails: Invalid input: expected array, received string',
    );
  });
});
