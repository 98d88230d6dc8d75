import { createActiveConnector, dataOf, startHrProvider, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation } from './federation.js';
import { resultsOf, runImport } from './import-helpers.js';

/** An HR system whose fields need reshaping: split names, shouting emails, codes, a status in two fields. */
const person = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: `E${n}`,
  first_name: `Ada${n}`,
  last_name: 'Lovelace',
  email: `ADA${n}@Acme.Example`,
  dept_code: 'ENG',
  state: 'employed',
  end_date: null,
  ...overrides,
});
const people = [
  person(1),
  person(2, { dept_code: 'SAL', state: 'onboarding' }),
  person(3, { dept_code: 'XX' }),
  person(4, { end_date: '2021-03-31' }),
  person(5, { state: 'garden-leave' }),
  person(6, { email: 'ANSWER', first_name: 42 }),
];

const MAPPING = {
  entries: [
    { target: 'EMAIL', sourcePath: '$.email', transform: '$lowercase($)' },
    { target: 'USERNAME', sourcePath: '$', transform: '$lowercase(first_name & "." & last_name)' },
    { target: 'FIRSTNAME', sourcePath: '$.first_name' },
    {
      target: 'DEPARTMENT',
      sourcePath: '$.dept_code',
      transform: '$lookup({"ENG": "Engineering", "SAL": "Sales"}, $) ?: "Other"',
    },
  ],
  externalIdPath: '$.id',
  statusPath: '$',
  statusTransform:
    'end_date and $toMillis(end_date & "T00:00:00Z") < $millis() ? "Inactive" : $lookup({"employed": "Active", "onboarding": "Active", "garden-leave": "Leave"}, state)',
};

const SET_MAPPING =
  'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { mapping { entries { target sourcePath transform } statusTransform } } }';

describe('transforms in a mapping', () => {
  let federation: Federation;
  let hr: HrProvider;
  beforeAll(async () => {
    federation = await startFederation();
    hr = await startHrProvider({ users: people, total: { header: 'X-Total-Count' } });
  });
  afterAll(async () => {
    await hr?.close();
    await federation?.stop();
  });

  async function connectorWith(mapping: Record<string, unknown>) {
    const org = await federation.newOrganization();
    const connectorId = await createActiveConnector(org.query, hr.url, 4);
    dataOf(await org.query(SET_MAPPING, { id: connectorId, m: mapping }));
    return { org, connectorId };
  }

  it('imports with the recipes: lower-cased email, username from two names, a code table, a status from two fields', async () => {
    const { org, connectorId } = await connectorWith(MAPPING);
    const { mappedUserPreview } = dataOf(
      await org.query<{ mappedUserPreview: { externalId: string; attributes: Record<string, unknown> }[] }>(
        'query ($id: ID!) { mappedUserPreview(connectorId: $id, limit: 2) { externalId attributes errors } }',
        { id: connectorId },
      ),
    );
    expect(mappedUserPreview[1]).toEqual({
      externalId: 'E2',
      attributes: {
        email: 'ada2@acme.example',
        username: 'ada2.lovelace',
        firstname: 'Ada2',
        department: 'Sales',
      },
      errors: [],
    });

    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job).toMatchObject({ status: 'PARTIAL' });
    expect(job.counts).toMatchObject({ fetched: 6, created: 3, skipped: 2, failed: 1 });
    const { users } = dataOf(
      await org.query<{ users: { nodes: Record<string, string>[] } }>(
        '{ users(first: 10) { nodes { email username department } } }',
      ),
    );
    expect(users.nodes.sort((a, b) => a.username!.localeCompare(b.username!))).toEqual([
      { email: 'ada1@acme.example', username: 'ada1.lovelace', department: 'Engineering' },
      { email: 'ada2@acme.example', username: 'ada2.lovelace', department: 'Sales' },
      { email: 'ada3@acme.example', username: 'ada3.lovelace', department: 'Other' },
    ]);
    // Ended in 2021, and on garden leave: inactive, so not created; a bad email after its transform fails.
    const results = await resultsOf(org, job.id);
    expect(
      results.nodes.filter((r) => r.outcome !== 'CREATED').map((r) => [r.externalId, r.outcome]),
    ).toEqual([
      ['E4', 'SKIPPED'],
      ['E5', 'SKIPPED'],
      ['E6', 'FAILED'],
    ]);
  });

  it('refuses a transform with a syntax error when the mapping is saved, naming the entry, and keeps the mapping before', async () => {
    const { org, connectorId } = await connectorWith(MAPPING);
    const broken = {
      ...MAPPING,
      entries: [
        ...MAPPING.entries.slice(0, 3),
        { ...MAPPING.entries[3], transform: '$lookup({"ENG": "Engineering"}, $' },
      ],
      statusTransform: 'state = ',
    };
    const answer = await org.query(SET_MAPPING, { id: connectorId, m: broken });
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.entries.3.transform', 'input.statusTransform'],
    });
    expect(answer.errors?.[0]?.message).toMatch(
      /^input\.entries\.3\.transform \(DEPARTMENT\) is not a valid JSONata expression: .+ \(at character \d+\); input\.statusTransform is not a valid JSONata expression: /,
    );
    const { connector } = dataOf(
      await org.query<{ connector: { mapping: { entries: { transform: string | null }[] } } }>(
        'query ($id: ID!) { connector(id: $id) { mapping { entries { transform } } } }',
        { id: connectorId },
      ),
    );
    expect(connector.mapping.entries[3]!.transform).toBe(MAPPING.entries[3]!.transform);
  });

  it('fails only the users whose transform throws or runs too long, with the reason, and imports the rest', async () => {
    const { org, connectorId } = await connectorWith({
      ...MAPPING,
      entries: [
        ...MAPPING.entries.slice(0, 2),
        // Throws for a number; loops without end for one person.
        {
          target: 'FIRSTNAME',
          sourcePath: '$.first_name',
          transform: '$type($) = "number" ? $error("first name is a number") : $',
        },
        {
          target: 'DEPARTMENT',
          sourcePath: '$',
          transform: 'id = "E3" ? ($loop := function($n) { $loop($n + 1) }; $loop(0)) : dept_code',
        },
      ],
    });
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job).toMatchObject({ status: 'PARTIAL' });
    expect(job.counts).toMatchObject({ fetched: 6, created: 2, skipped: 2, failed: 2 });
    const results = await resultsOf(org, job.id);
    const failed = Object.fromEntries(
      results.nodes.filter((r) => r.outcome === 'FAILED').map((r) => [r.externalId, r.detail]),
    );
    expect(failed.E3).toMatch(/the transform of \$ \(id = "E3" \? .+\) ran longer than 100 ms/);
    expect(failed.E6).toMatch(/the transform of \$\.first_name \(.+\) failed: first name is a number/);
  });
});
