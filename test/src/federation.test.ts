import { dataOf, graphqlRequest, signedSubgraphClient } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';

const person = (n: number) => ({
  email: `p${n}@corp.example`,
  username: `p${n}`,
  firstname: `P${n}`,
  department: 'Ops',
});

async function seedUsers(
  federation: Federation,
  organizationId: string,
  count: number,
  importJobId = 'job-x',
) {
  const changes = Array.from({ length: count }, (_, i) => ({
    kind: 'create' as const,
    externalId: `e${i}`,
    attributes: person(i),
  }));
  const { results } = await federation.batches.applyUserBatch({
    organizationId,
    connectorId: 'connector-x',
    importJobId,
    actor: 'seed',
    changes,
  });
  return results.map((r) => r.userId!);
}

interface Users {
  users: {
    totalCount: number;
    nodes: { id: string; email: string }[];
    pageInfo: { endCursor: string; hasNextPage: boolean };
  };
}
const USERS =
  'query ($after: String) { users(first: 2, after: $after) { totalCount nodes { id email } pageInfo { endCursor hasNextPage } } }';

describe('the federation through the gateway', () => {
  let federation: Federation;
  let acme: TestOrganization;
  let globex: TestOrganization;
  let acmeUsers: string[];
  beforeAll(async () => {
    federation = await startFederation();
    acme = await federation.newOrganization();
    globex = await federation.newOrganization();
    acmeUsers = await seedUsers(federation, acme.id, 5);
    await seedUsers(federation, globex.id, 3);
  });
  afterAll(() => federation?.stop());

  it('answers the bootstrap organization for the bootstrap key', async () => {
    const { BOOTSTRAP_API_KEY, BOOTSTRAP_ORG_ID } = federation.bootstrap;
    const answer = await federation.client(
      BOOTSTRAP_API_KEY,
      BOOTSTRAP_ORG_ID,
    )('{ organization { id userCount } }');
    expect(dataOf(answer)).toEqual({ organization: { id: BOOTSTRAP_ORG_ID, userCount: 0 } });
  });

  it('pages users with cursors and a total', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const data: Users = dataOf(await acme.query<Users>(USERS, { after }));
      expect(data.users.totalCount).toBe(5);
      ids.push(...data.users.nodes.map((n) => n.id));
      after = data.users.pageInfo.hasNextPage ? data.users.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(ids).toEqual(acmeUsers);
  });

  it('keeps each organization to its own users, by list and by id', async () => {
    const list = dataOf(await globex.query<Users>(USERS));
    expect(list.users.totalCount).toBe(3);
    expect(list.users.nodes.every((n) => !acmeUsers.includes(n.id))).toBe(true);
    const byId = await globex.query('query ($id: ID!) { user(id: $id) { id email } }', { id: acmeUsers[0] });
    expect(byId.data).toEqual({ user: null });
    const events = dataOf(
      await globex.query<{ directoryEvents: { user: { id: string } }[] }>(
        '{ directoryEvents { user { id } } }',
      ),
    );
    expect(events.directoryEvents).toHaveLength(3);
    expect(events.directoryEvents.every((e) => !acmeUsers.includes(e.user.id))).toBe(true);
  });

  it('never resolves another organization’s user through _entities', async () => {
    const asGlobex = signedSubgraphClient(
      federation.directory.url,
      { kind: 'member', organizationId: globex.id, actor: 'e2e key', apiKeyId: 'k' },
      federation.secret,
    );
    const answer = dataOf(
      await asGlobex<{ _entities: unknown[] }>(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }',
        {
          r: acmeUsers.map((id) => ({ __typename: 'User', id })),
        },
      ),
    );
    expect(answer._entities).toEqual(acmeUsers.map(() => null));
  });

  it('resolves references across subgraphs: the connector and job of an imported user', async () => {
    const data = dataOf(
      await acme.query<{ user: { importedFrom: unknown; createdByImport: unknown } }>(
        'query ($id: ID!) { user(id: $id) { importedFrom { id displayLabel } createdByImport { id status } } }',
        { id: acmeUsers[0] },
      ),
    );
    // Neither the connector nor the job exists in their subgraphs yet: the reference resolves to null.
    expect(data.user).toEqual({ importedFrom: null, createdByImport: null });
  });

  it('resolves an imported user’s connector from the connector subgraph', async () => {
    const initech = await federation.newOrganization();
    const { createCustomApiConnector: connector } = dataOf(
      await initech.query<{ createCustomApiConnector: { id: string } }>(
        `mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id } }`,
        {
          input: {
            displayLabel: 'BambooHR',
            baseUrl: 'http://127.0.0.1:9',
            auth: { bearerToken: { token: 'bamboo-token-1' } },
            listUsers: {
              path: '/employees',
              resourceLocation: '.',
              totalCountSource: 'NONE',
              limitParam: 'limit',
              offsetParam: 'offset',
            },
          },
        },
      ),
    );
    const { results } = await federation.batches.applyUserBatch({
      organizationId: initech.id,
      connectorId: connector.id,
      actor: 'seed',
      changes: [{ kind: 'create', externalId: 'b1', attributes: person(99) }],
    });
    const data = dataOf(
      await initech.query<{ user: unknown }>(
        'query ($id: ID!) { user(id: $id) { importedFrom { id displayLabel authSummary } } }',
        {
          id: results[0]!.userId,
        },
      ),
    );
    expect(data.user).toEqual({
      importedFrom: { id: connector.id, displayLabel: 'BambooHR', authSummary: 'Bearer token' },
    });
    const asGlobex = await globex.query('query ($id: ID!) { user(id: $id) { id } }', {
      id: results[0]!.userId,
    });
    expect(asGlobex.data).toEqual({ user: null });
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { 'x-api-key': 'uif_wrong', 'x-org-id': 'any' }],
  ])('refuses a request with %s: UNAUTHENTICATED', async (_, headers) => {
    const answer = await graphqlRequest(
      `${federation.gateway.url}/graphql`,
      '{ organization { id } }',
      {},
      headers,
    );
    expect(answer.status).toBe(401);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.data ?? null).toBeNull();
  });

  it('refuses a valid key used with another organization id', async () => {
    const answer = await federation.client(
      acme.apiKey,
      globex.id,
    )('{ organization { id } users { totalCount } }');
    expect(answer.status).toBe(401);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(answer)).not.toContain('p1@corp.example');
  });

  it('refuses a query that would cost too much, before running it', async () => {
    const fields =
      'nodes { id email username firstname lastname addresses { type country locality } phoneNumbers { type number } }';
    const costly = await acme.query(
      `{ ${['a', 'b', 'c', 'd', 'e'].map((alias) => `${alias}: users(first: 500) { ${fields} }`).join(' ')} }`,
    );
    expect(costly.errors?.[0]?.message).toMatch(/^The query costs \d+, more than the limit of 25000/);
    expect(costly.data ?? null).toBeNull();
  });

  it('reports health and readiness on every service', async () => {
    for (const service of [
      federation.gateway,
      federation.directory,
      federation.connector,
      federation.imports,
    ]) {
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${service.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready' });
    }
  });

  it('serves the explorer in a browser with no file from outside', async () => {
    const page = await fetch(`${federation.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source.startsWith('/')).toBe(true);
      const asset = await fetch(`${federation.gateway.url}${source}`);
      expect(asset.status).toBe(200);
      expect((await asset.text()).length).toBeGreaterThan(1000);
    }
  });
});
