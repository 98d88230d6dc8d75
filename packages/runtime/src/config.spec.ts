import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, configFields, parseConfig } from './config.js';

const schema = z.object({
  PORT: configFields.port(4000),
  INTERNAL_SECRET: configFields.internalSecret,
  DATABASE_URL: configFields.databaseUrl,
});

describe('parseConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = parseConfig('test', schema, { INTERNAL_SECRET: 'x'.repeat(32), PORT: '4100' });
    expect(config).toEqual({ PORT: 4100, INTERNAL_SECRET: 'x'.repeat(32) });
  });

  it('reports every problem at once, each naming its variable', () => {
    let caught: unknown;
    try {
      parseConfig('directory', schema, { PORT: 'eighty', DATABASE_URL: 'postgres://db' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^INTERNAL_SECRET: /m);
    expect(problems).toMatch(/^DATABASE_URL: must look like mysql:\/\//m);
  });

  it('treats an empty variable as unset', () => {
    expect(
      parseConfig('test', schema, { INTERNAL_SECRET: 'x'.repeat(32), DATABASE_URL: '' }).DATABASE_URL,
    ).toBe(undefined);
  });
});
