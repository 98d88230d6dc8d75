import { describe, expect, it } from 'vitest';
import type { ProviderError } from './errors.js';
import type { ProviderResponse } from './http.js';
import {
  normalizeScimUser,
  readScimUserPage,
  scimFilter,
  scimUsersUrl,
  type ScimListRequest,
} from './scim.js';

const request: ScimListRequest = { baseUrl: 'https://app.example.com/scim/v2/', offset: 0, count: 2 };

function answer(body: unknown, status = 200, contentType = 'application/scim+json'): ProviderResponse {
  return {
    status,
    url: 'https://app.example.com/scim/v2/Users?startIndex=1&count=2',
    headers: {},
    contentType,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attempts: 1,
  };
}

function failure(response: ProviderResponse): ProviderError {
  try {
    readScimUserPage(response, request);
  } catch (error) {
    return error as ProviderError;
  }
  throw new Error('expected the page to be refused');
}

const listResponse = (resources: unknown[], extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  Resources: resources,
  ...extra,
});

describe('scimUsersUrl', () => {
  it('asks for a 1-based startIndex, the page size and the filter', () => {
    const url = scimUsersUrl({ ...request, offset: 200, count: 100, filter: 'userName eq "ada"' });
    expect(url.pathname).toBe('/scim/v2/Users');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      startIndex: '201',
      count: '100',
      filter: 'userName eq "ada"',
    });
  });
});

describe('scimFilter', () => {
  it('takes the advanced query as the filter expression, with or without filter=', () => {
    expect(scimFilter('filter=title eq "Engineer"')).toBe('title eq "Engineer"');
    expect(scimFilter(' active eq true ')).toBe('active eq true');
    expect(scimFilter('')).toBeNull();
    expect(scimFilter(null)).toBeNull();
  });
});

describe('readScimUserPage', () => {
  it('reads Resources and totalResults from application/scim+json', () => {
    const page = readScimUserPage(
      answer(listResponse([{ id: 'a' }, { id: 'b' }], { totalResults: 5 })),
      request,
    );
    expect(page.users).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(page.total).toBe(5);
    expect(page.warnings).toEqual([]);
  });

  it('ignores a 0-based startIndex echo and an itemsPerPage that does not match', () => {
    const body = listResponse([{ id: 'a' }], { totalResults: 1, startIndex: 0, itemsPerPage: 7 });
    expect(readScimUserPage(answer(body), request)).toMatchObject({ users: [{ id: 'a' }], total: 1 });
  });

  it('reads on without a total when totalResults is missing or is only the page size', () => {
    const missing = readScimUserPage(answer(listResponse([{ id: 'a' }, { id: 'b' }])), request);
    expect(missing.total).toBeNull();
    expect(missing.warnings[0]).toMatch(/no totalResults/);
    const pageSize = readScimUserPage(
      answer(listResponse([{ id: 'a' }, { id: 'b' }], { totalResults: 2 })),
      request,
    );
    expect(pageSize.total).toBeNull();
    expect(pageSize.warnings[0]).toMatch(/page size as totalResults/);
  });

  it('takes an empty answer without Resources as no users', () => {
    const page = readScimUserPage(answer({ schemas: [], totalResults: 0 }), request);
    expect(page).toMatchObject({ users: [], total: 0 });
  });

  it('shows a SCIM error body verbatim', () => {
    const error = failure(
      answer(
        {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '400',
          scimType: 'invalidFilter',
          detail: 'Unknown attribute "nickName" in filter',
        },
        400,
      ),
    );
    expect(error.message).toBe(
      'The SCIM service answered HTTP 400 to GET https://app.example.com/scim/v2/Users?startIndex=1&count=2' +
        ' (scimType invalidFilter): Unknown attribute "nickName" in filter',
    );
    expect(error.code).toBe('PROVIDER_ERROR');
    expect(error.extensions).toMatchObject({ status: 400 });
  });

  it('says the SCIM status too when it is not the HTTP one', () => {
    const error = failure(
      answer(
        { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403', detail: 'No access' },
        400,
      ),
    );
    expect(error.message).toMatch(/answered HTTP 400 to GET .* \(SCIM status 403\): No access$/);
  });

  it('believes a total of 1 in the connection test’s one-user sample', () => {
    const one = { ...request, count: 1, sample: true };
    const page = readScimUserPage(answer({ totalResults: 1, Resources: [{ id: 'a' }] }), one);
    expect(page).toMatchObject({ total: 1, warnings: [] });
  });

  it('names what is wrong with a body that is no ListResponse', () => {
    expect(failure(answer('<html>login</html>', 200, 'text/html')).message).toMatch(
      /answered text\/html instead of JSON/,
    );
    expect(failure(answer([{ id: 'a' }])).message).toMatch(/Expected a SCIM ListResponse object.*an array/);
    expect(failure(answer({ Resources: { id: 'a' } })).message).toMatch(
      /Resources to be an array, found an object/,
    );
  });
});

describe('normalizeScimUser', () => {
  it('reads "True"/"False" and 1/0 as booleans, types in lower case, and a missing active as true', () => {
    expect(
      normalizeScimUser({
        id: 'a',
        active: 'False',
        emails: [
          { value: 'a@example.com', primary: 'True' },
          { value: 'b@example.com', primary: 0 },
        ],
      }),
    ).toEqual({
      id: 'a',
      active: false,
      emails: [
        { value: 'a@example.com', primary: true },
        { value: 'b@example.com', primary: false },
      ],
    });
    expect(normalizeScimUser({ id: 'b', active: 1 })).toEqual({ id: 'b', active: true });
    expect(normalizeScimUser({ id: 'd', phoneNumbers: [{ value: '1', type: ' Work ' }] })).toEqual({
      id: 'd',
      active: true,
      phoneNumbers: [{ value: '1', type: 'work' }],
    });
    expect(normalizeScimUser({ id: 'c' })).toEqual({ id: 'c', active: true });
  });

  it('puts the primary entry first, the others in their order', () => {
    const phones = [
      { value: '1', type: 'work' },
      { value: '2', type: 'work', primary: 'True' },
      { value: '3', type: 'mobile' },
    ];
    expect(normalizeScimUser({ id: 'e', phoneNumbers: phones })).toMatchObject({
      phoneNumbers: [
        { value: '2', type: 'work', primary: true },
        { value: '1', type: 'work' },
        { value: '3', type: 'mobile' },
      ],
    });
  });
});
