import { describe, expect, it } from 'vitest';
import type { AttributeMapping } from './attribute-mapping.js';
import { classifyStatus, mapProviderUser } from './mapping.js';
import { compileSourcePath, jsonPathProblem, MAX_DESCENT_DEPTH, pathAlternatives } from './source-path.js';

const mapping: AttributeMapping = {
  entries: [
    { target: 'EMAIL', sourcePath: '$.attributes.email.value' },
    { target: 'USERNAME', sourcePath: '$.login' },
    { target: 'FIRSTNAME', sourcePath: '$.name.first' },
    { target: 'WORK_LOCALITY', sourcePath: '$.office.city' },
    { target: 'WORK_COUNTRY', sourcePath: '$.office.country' },
    { target: 'MOBILE_PHONE', sourcePath: '$.phones[?(@.kind=="mobile")].number' },
  ],
  externalIdPath: '$.id',
  statusPath: '$.employment.status',
  inactiveStatuses: ['Leave', 'Inactive', 'false'],
  activeStatuses: ['Onboarding', 'Active'],
};

const provider = {
  id: 1042,
  login: 'ada',
  attributes: { email: { value: ' Ada@Example.com ' } },
  name: { first: 'Ada' },
  office: { city: 'London', country: 'GB' },
  phones: [
    { kind: 'desk', number: '1' },
    { kind: 'mobile', number: '+44 7700 900000' },
  ],
  employment: { status: 'ACTIVE' },
};

describe('mapProviderUser', () => {
  it('fails a user nested deeper than a recursive descent reads, at once, and reads one within it', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 10_000; level++) deep = { value: deep };
    const started = performance.now();
    expect(compileSourcePath('$.profile..value.missing')({ profile: deep })).toEqual({
      error: `$.profile..value.missing could not be read: the user is nested more than ${MAX_DESCENT_DEPTH} levels deep, past what .. reads`,
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(compileSourcePath('$.profile..id')({ profile: { team: { lead: { id: 'x7' } } } })).toEqual({
      value: 'x7',
    });
  });

  it('maps nested values, numeric ids as text, addresses and phones by type', () => {
    expect(mapProviderUser(provider, mapping)).toEqual({
      externalId: '1042',
      attributes: {
        email: 'Ada@Example.com',
        username: 'ada',
        firstname: 'Ada',
        addresses: [{ type: 'work', locality: 'London', country: 'GB' }],
        phoneNumbers: [{ type: 'mobile', number: '+44 7700 900000' }],
      },
      status: 'ACTIVE',
      statusClass: 'active',
      errors: [],
    });
  });

  it('names every reason a user cannot be imported', () => {
    const broken = {
      ...provider,
      id: undefined,
      login: 'has space',
      attributes: { email: { value: 'nope' } },
      name: { first: { x: 1 } },
    };
    expect(mapProviderUser(broken, mapping).errors).toEqual([
      'externalId: nothing at $.id',
      '$.name.first is an object, not a text value',
      'email: is not a valid email address',
      'username: must not contain whitespace',
    ]);
  });

  it('refuses a provider id too long to link', () => {
    expect(mapProviderUser({ ...provider, id: 'x'.repeat(256) }, mapping).errors).toEqual([
      'externalId: longer than 255 characters',
    ]);
  });

  it('says a required value is missing', () => {
    const { errors } = mapProviderUser({ id: 1 }, mapping);
    expect(errors).toContain('email: is required');
    expect(errors).toContain('username: is required');
  });

  it('refuses a value too long for the directory', () => {
    const { errors } = mapProviderUser({ ...provider, name: { first: 'x'.repeat(300) } }, mapping);
    expect(errors).toEqual(['firstname: Too big: expected string to have <=255 characters']);
  });
});

describe('classifyStatus', () => {
  it('compares the value as text, case-insensitively', () => {
    expect(classifyStatus('leave', mapping)).toBe('inactive');
    expect(classifyStatus('false', mapping)).toBe('inactive');
    expect(classifyStatus('onboarding', mapping)).toBe('active');
    expect(classifyStatus('Contractor', mapping)).toBe('unknown');
    expect(classifyStatus(null, mapping)).toBe('unknown');
  });

  it('reads a yes/no flag as it says when the lists do not name it', () => {
    const defaults = { ...mapping, inactiveStatuses: ['Leave', 'Inactive'] };
    expect(classifyStatus('true', defaults)).toBe('active');
    expect(classifyStatus(' FALSE ', defaults)).toBe('inactive');
    expect(classifyStatus('true', { ...defaults, inactiveStatuses: ['true'] })).toBe('inactive');
  });

  it('counts everybody as active without a status path', () => {
    expect(classifyStatus(null, { ...mapping, statusPath: null })).toBe('active');
  });
});

describe('jsonPathProblem', () => {
  it('accepts JSONPath and refuses what is not', () => {
    expect(jsonPathProblem('$.a.b[0].c')).toBeNull();
    expect(jsonPathProblem('work_email')).toMatch(/must be a JSONPath starting with \$/);
    expect(jsonPathProblem('$.a[?(@.x==')).toMatch(/is not a valid JSONPath/);
  });

  it('checks every fallback and names the one that is wrong', () => {
    expect(jsonPathProblem('$.a || $.b[0]')).toBeNull();
    expect(jsonPathProblem('$.a || b')).toBe(
      'alternative 2 (b) must be a JSONPath starting with $, e.g. $.work_email',
    );
    expect(jsonPathProblem('$.a ||')).toMatch(/^alternative 2 \(empty\) must be a JSONPath/);
  });
});

describe('fallback paths', () => {
  /** `user` mapped with these entries besides its username, every status active. */
  const mapWith = (user: Record<string, unknown>, entries: AttributeMapping['entries']) =>
    mapProviderUser(
      { id: 'u1', userName: 'ada', ...user },
      {
        ...mapping,
        statusPath: null,
        entries: [{ target: 'USERNAME', sourcePath: '$.userName' }, ...entries],
      },
    );
  const email = (emails: unknown[]) =>
    mapWith({ emails }, [
      {
        target: 'EMAIL',
        sourcePath:
          "$.emails[?(@.primary==true)].value || $.emails[?(@.type=='work')].value || $.emails[0].value",
      },
    ]);

  it('split on || outside filters, subscripts and quotes', () => {
    expect(pathAlternatives("$.a[?(@.x=='1' || @.y=='2')] || $['p||q'] || $.c")).toEqual([
      "$.a[?(@.x=='1' || @.y=='2')]",
      "$['p||q']",
      '$.c',
    ]);
  });

  it('take the first alternative that holds a value', () => {
    const home = { value: 'home@example.com', type: 'home' };
    const work = { value: 'work@example.com', type: 'work' };
    expect(email([home, { ...work, primary: true }]).attributes.email).toBe('work@example.com');
    expect(email([home, work]).attributes.email).toBe('work@example.com');
    expect(email([home]).attributes.email).toBe('home@example.com');
    expect(email([]).errors).toContain('email: is required');
  });

  it('take the first entry a filter matches, in the provider’s order', () => {
    const twoWork = [
      { value: 'home@example.com', type: 'home' },
      { value: 'first@example.com', type: 'work' },
      { value: 'second@example.com', type: 'work' },
    ];
    expect(email(twoWork).attributes.email).toBe('first@example.com');
    expect(email(twoWork).errors).toEqual([]);
  });

  it('read the rest of a filtered path from the first entry alone, never mixing two entries', () => {
    const user = {
      emails: [{ value: 'ada@example.com', primary: true }],
      addresses: [
        { type: 'work', streetAddress: '1 Market Street' },
        { type: 'work', streetAddress: '1 Harbour Road', locality: 'Lyon' },
      ],
    };
    const { attributes, errors } = mapWith(user, [
      { target: 'EMAIL', sourcePath: '$.emails[0].value' },
      { target: 'WORK_STREET_ADDRESS', sourcePath: "$.addresses[?(@.type=='work')].streetAddress" },
      { target: 'WORK_LOCALITY', sourcePath: "$.addresses[?(@.type=='work')].locality" },
    ]);
    expect(errors).toEqual([]);
    expect(attributes.addresses).toEqual([{ type: 'work', streetAddress: '1 Market Street' }]);
  });

  it('still refuse a path without a filter that matches several values', () => {
    const { errors } = mapWith({ emails: [{ value: 'a@example.com' }, { value: 'b@example.com' }] }, [
      { target: 'EMAIL', sourcePath: '$.emails[*].value' },
    ]);
    expect(errors).toContain('$.emails[*].value matches 2 values, not one');
  });
});

describe('lists in the mapped attributes', () => {
  it('are left out when the mapping has no address or phone target, so updates keep them', () => {
    const { attributes } = mapProviderUser(provider, {
      ...mapping,
      entries: mapping.entries.filter((e) => e.target === 'EMAIL' || e.target === 'USERNAME'),
    });
    expect(attributes).toEqual({ email: 'Ada@Example.com', username: 'ada' });
  });
});
