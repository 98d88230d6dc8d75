import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, configFields, linkedDefaults, parseConfig } from './config.js';

const schema = z.object({
  PORT: configFields.port('PORT'),
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

describe('defaults that follow an override', () => {
  const links = z.object({
    PUBLIC_URL: configFields.url,
    DIRECTORY_URL: configFields.url,
    CONNECTOR_URL: configFields.url,
    IMPORT_URL: configFields.url,
  });

  it('points links at the gateway on PORT, and each subgraph URL at its port', () => {
    expect(
      parseConfig('test', links, {
        PORT: '4600',
        DIRECTORY_PORT: '5001',
        CONNECTOR_PORT: '5002',
        IMPORT_PORT: '5003',
      }),
    ).toEqual({
      PUBLIC_URL: 'http://localhost:4600',
      DIRECTORY_URL: 'http://127.0.0.1:5001',
      CONNECTOR_URL: 'http://127.0.0.1:5002',
      IMPORT_URL: 'http://127.0.0.1:5003',
    });
  });

  it('keeps the standard ports when nothing is set, and what is set when it is set', () => {
    expect(parseConfig('test', links, { PORT: '4600', PUBLIC_URL: 'https://users.example.com' })).toEqual({
      PUBLIC_URL: 'https://users.example.com',
      DIRECTORY_URL: 'http://127.0.0.1:4001',
      CONNECTOR_URL: 'http://127.0.0.1:4002',
      IMPORT_URL: 'http://127.0.0.1:4003',
    });
  });

  it('finds subgraphs on a given host, IPv6 in brackets', () => {
    expect(linkedDefaults({ IMPORT_PORT: '7003' }, '::1').IMPORT_URL).toBe('http://[::1]:7003');
    expect(linkedDefaults({}, '10.0.0.5').DIRECTORY_URL).toBe('http://10.0.0.5:4001');
  });

  it('names only the bad port, not the links built from it', () => {
    const schema = z.object({ PORT: configFields.port('PORT'), PUBLIC_URL: configFields.url });
    expect(() => parseConfig('gateway', schema, { PORT: 'eighty' })).toThrow(
      expect.objectContaining({ problems: [expect.stringMatching(/^PORT: /)] }),
    );
  });
});
