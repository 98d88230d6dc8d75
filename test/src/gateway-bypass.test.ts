import { request as httpRequest } from 'node:http';
import { CONNECTORS_PATH, USER_LISTING_PATH } from '@uif/connector-client';
import { AUTHENTICATE_PATH } from '@uif/directory-client';
import { IDENTITY_HEADER, PUBLIC_LINK_SERVICE, signIdentity, type Identity } from '@uif/runtime';
import { dataOf, graphqlRequest, type HrProvider } from '@uif/testing';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import {
  activeConnector,
  directoryUsers,
  employee,
  runImport,
  startHr,
  type FinishedJob,
} from './import-helpers.js';

/**
 * The subgraphs trust the identity the gateway signs with the internal secret and nothing else: a
 * caller who reaches them directly, without that signature or with a forged, altered or stale one,
 * gets 401 UNAUTHENTICATED and no data. Their /internal routes take our services' identities only.
 */

type Subgraph = 'directory' | 'connector' | 'imports';
const SUBGRAPHS: Subgraph[] = ['directory', 'connector', 'imports'];

/** A query per subgraph that answers the victim's data to a properly signed caller. */
const QUERIES: Record<Subgraph, string> = {
  directory: '{ users { totalCount nodes { id email } } organization { name } }',
  connector: '{ connectors { id displayLabel baseUrl } }',
  imports: '{ importJobs { id status resultsDownloadUrl } }',
};

const member = (organizationId: string): Identity => ({
  kind: 'member',
  organizationId,
  actor: 'e2e key',
  apiKeyId: 'k',
});

/** A header as the gateway would have signed it `seconds` ago (the signature lives 60 s). */
function signedSecondsAgo(seconds: number, identity: Identity, secret: string): string {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Date.now() - seconds * 1000);
    return signIdentity(identity, secret);
  } finally {
    vi.useRealTimers();
  }
}

/** A valid header with its payload swapped for `identity`, keeping the original signature and expiry. */
function withIdentity(signed: string, identity: Identity): string {
  const [payload, signature] = signed.split('.') as [string, string];
  const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number };
  return `${Buffer.from(JSON.stringify({ ...body, identity })).toString('base64url')}.${signature}`;
}

describe('subgraphs called around the gateway', () => {
  let federation: Federation;
  let hr: HrProvider;
  /** The organization whose data a caller around the gateway is after. */
  let victim: TestOrganization;
  /** Another organization, holding a genuine signature of its own. */
  let intruder: TestOrganization;
  let connectorId: string;
  let job: FinishedJob;
  let emails: string[];

  beforeAll(async () => {
    [federation, hr] = await Promise.all([startFederation(), startHr([employee(1), employee(2)])]);
    [victim, intruder] = await Promise.all([federation.newOrganization(), federation.newOrganization()]);
    dataOf(
      await victim.query('mutation { updateOrganizationSettings(input: { name: "Victim Inc" }) { id } }'),
    );
    connectorId = await activeConnector(victim, hr.url);
    job = await runImport(victim, { connectorId, operations: ['USER_CREATE'] });
    emails = (await directoryUsers(victim)).nodes.map((user) => user.email);
  });
  afterAll(async () => {
    await federation?.stop();
    await hr?.close();
  });

  const urlOf = (subgraph: Subgraph) => federation[subgraph].url;

  /** What a caller could recognize as the victim's: its name, users, connector and job. */
  function expectNoVictimData(answer: unknown): void {
    const text = JSON.stringify(answer).toLowerCase();
    const traces = ['victim inc', 'acme hr', hr.url, connectorId, job.id, ...emails].map((t) =>
      t.toLowerCase(),
    );
    expect(traces.filter((trace) => text.includes(trace))).toEqual([]);
  }

  /** Every way to present an identity that is not the gateway's current signature for the victim. */
  function refusedIdentities(): Record<string, Record<string, string>> {
    const secret = federation.secret;
    const intruderSigned = signIdentity(member(intruder.id), secret);
    return {
      'no identity': {},
      'the API key headers a client sends the gateway': { 'x-api-key': victim.apiKey, 'x-org-id': victim.id },
      'a signature made with another secret': {
        [IDENTITY_HEADER]: signIdentity(member(victim.id), 'not-the-shared-secret-but-long-enough!!'),
      },
      'another organization’s genuine signature over the victim’s id': {
        [IDENTITY_HEADER]: withIdentity(intruderSigned, member(victim.id)),
      },
      'an identity signed 61 s ago': { [IDENTITY_HEADER]: signedSecondsAgo(61, member(victim.id), secret) },
      'a payload without its signature': {
        [IDENTITY_HEADER]: signIdentity(member(victim.id), secret).split('.')[0]!,
      },
    };
  }

  it('answers the victim’s data to the gateway’s signature, even 30 s old, so the refusals below are the guard’s', async () => {
    for (const subgraph of SUBGRAPHS) {
      const headers = { [IDENTITY_HEADER]: signedSecondsAgo(30, member(victim.id), federation.secret) };
      const answer = await graphqlRequest(`${urlOf(subgraph)}/graphql`, QUERIES[subgraph], {}, headers);
      expect(answer.status).toBe(200);
      const text = JSON.stringify(dataOf(answer)).toLowerCase();
      expect(text).toContain(
        { directory: emails[0]!, connector: 'acme hr', imports: job.id }[subgraph].toLowerCase(),
      );
    }
  });

  it.for(SUBGRAPHS)('%s: refuses /graphql without the gateway’s valid signature', async (subgraph) => {
    for (const [attempt, headers] of Object.entries(refusedIdentities())) {
      const answer = await graphqlRequest(`${urlOf(subgraph)}/graphql`, QUERIES[subgraph], {}, headers);
      expect({ attempt, status: answer.status, code: answer.errors?.[0]?.extensions?.code }).toEqual({
        attempt,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      expect(answer.data ?? null).toBeNull();
      expectNoVictimData(answer);
    }
  });

  /** Each internal route, as one of our services calls it for the victim. */
  function internalRoutes() {
    const organizationId = victim.id;
    return [
      {
        subgraph: 'directory' as const,
        path: AUTHENTICATE_PATH,
        body: { apiKey: victim.apiKey, organizationId },
      },
      { subgraph: 'directory' as const, path: `/internal/organizations/${organizationId}` },
      {
        subgraph: 'directory' as const,
        path: '/internal/user-matches',
        body: { organizationId, connectorId, candidates: [{ externalId: 'x', email: emails[0]! }] },
      },
      {
        subgraph: 'directory' as const,
        path: '/internal/user-batches',
        changes: true,
        body: {
          organizationId,
          connectorId,
          actor: 'intruder',
          changes: [
            {
              kind: 'create',
              externalId: 'planted',
              attributes: { email: 'planted@intruder.example', username: 'planted' },
            },
          ],
        },
      },
      {
        subgraph: 'connector' as const,
        path: `${CONNECTORS_PATH}/${connectorId}?organizationId=${organizationId}`,
      },
      {
        subgraph: 'connector' as const,
        path: `${CONNECTORS_PATH}/${connectorId}${USER_LISTING_PATH}?organizationId=${organizationId}`,
        body: { query: null, pageSize: 100 },
      },
      {
        subgraph: 'connector' as const,
        path: '/internal/oauth/callback?state=guessed&code=stolen',
        changes: true,
      },
      {
        subgraph: 'imports' as const,
        path: `/internal${new URL(job.resultsDownloadUrl!).pathname}`,
      },
      {
        subgraph: 'imports' as const,
        path: '/internal/connector-events',
        changes: true,
        body: { organizationId, connectorId, event: 'deactivated', kind: 'CUSTOM_API' },
      },
    ];
  }

  function callInternal(
    route: ReturnType<typeof internalRoutes>[number],
    headers: Record<string, string>,
  ): Promise<Response> {
    return fetch(`${urlOf(route.subgraph)}${route.path}`, {
      method: route.body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json', ...headers },
      ...(route.body ? { body: JSON.stringify(route.body) } : {}),
    });
  }

  it('answers our own services on the internal routes that only read, with the victim’s data', async () => {
    const service = {
      [IDENTITY_HEADER]: signIdentity({ kind: 'service', service: 'import' }, federation.secret),
    };
    for (const route of internalRoutes().filter((r) => !r.changes)) {
      const answer = await callInternal(route, service);
      expect({ path: route.path, status: answer.status }).toEqual({ path: route.path, status: 200 });
      expect((await answer.text()).length).toBeGreaterThan(2);
    }
  });

  it('refuses every /internal route to anything but a service’s signature, organization members included', async () => {
    const secret = federation.secret;
    const memberSigned = signIdentity(member(victim.id), secret);
    const attempts = {
      ...refusedIdentities(),
      'the victim’s genuine member signature': { [IDENTITY_HEADER]: memberSigned },
      'a member signature turned into a service identity': {
        [IDENTITY_HEADER]: withIdentity(memberSigned, { kind: 'service', service: 'import' }),
      },
      'a service identity signed 61 s ago': {
        [IDENTITY_HEADER]: signedSecondsAgo(61, { kind: 'service', service: 'import' }, secret),
      },
    };
    for (const route of internalRoutes()) {
      for (const [attempt, headers] of Object.entries(attempts)) {
        const answer = await callInternal(route, headers);
        const body = await answer.text();
        expect({ path: route.path, attempt, status: answer.status }).toEqual({
          path: route.path,
          attempt,
          status: 401,
        });
        expect(body).toContain('UNAUTHENTICATED');
        expectNoVictimData(body);
      }
    }
    // What the refused writes would have done did not happen: no planted user, the schedule is still there.
    const users = await directoryUsers(victim);
    expect(users.nodes.map((user) => user.email)).toEqual(emails);
    const { connector } = dataOf(
      await victim.query<{ connector: { state: string; importSchedule: { enabled: boolean } | null } }>(
        'query ($id: ID!) { connector(id: $id) { state importSchedule { enabled } } }',
        { id: connectorId },
      ),
    );
    expect(connector).toEqual({ state: 'ACTIVE', importSchedule: { enabled: true } });
  });

  /** A GET with the path exactly as written: fetch() would turn its backslashes into slashes first. */
  function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const req = httpRequest({ hostname, port, path, method: 'GET' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('forwards a public link only to its own route: a backslash or dot path is a 404 that reaches no subgraph', async () => {
    const gateway = federation.gateway.url;
    const link = new URL(job.resultsDownloadUrl!);
    expect((await rawGet(gateway, link.pathname)).status).toBe(200);
    const escapes = [
      '/import-results/..\\..\\internal\\connector-events',
      '/import-results/..%5c..%5cinternal%5cconnector-events',
      '/import-results/%2e%2e',
      `/import-results/..\\..${link.pathname}`,
    ];
    for (const path of escapes) {
      // Answered by the gateway itself: a forwarded request comes back with the subgraph's
      // '/internal/…' in its 404.
      const answer = await rawGet(gateway, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.body).not.toContain('/internal');
    }
  });

  it('opens only the public-link routes to the identity the gateway forwards links with', async () => {
    const forwarded = {
      [IDENTITY_HEADER]: signIdentity({ kind: 'service', service: PUBLIC_LINK_SERVICE }, federation.secret),
    };
    const publicLinks = ['/internal/oauth/callback', '/internal/import-results/'];
    for (const route of internalRoutes()) {
      const answer = await callInternal(route, forwarded);
      const isPublicLink = publicLinks.some((path) => route.path.startsWith(path));
      expect({ path: route.path, refused: answer.status === 401 }).toEqual({
        path: route.path,
        refused: !isPublicLink,
      });
    }
  });

  describe('the import subgraph’s graphql-ws endpoint', () => {
    const PROGRESS =
      'subscription ($id: ID!) { importJobProgress(jobId: $id) { jobId phase counts { created } } }';

    /** Opens a subscription to the victim's job on the subgraph itself: its events, or how it ended. */
    async function subscribeDirectly(connectionParams: Record<string, string>) {
      const client = createClient({
        url: federation.imports.url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
      });
      const events: unknown[] = [];
      try {
        const closed = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query: PROGRESS, variables: { id: job.id } },
            { next: (event) => events.push(event), error: resolve, complete: () => resolve(null) },
          );
        });
        return { events, closed };
      } finally {
        await client.dispose();
      }
    }

    it('streams the victim’s job to the gateway’s signature', async () => {
      const { events, closed } = await subscribeDirectly({
        [IDENTITY_HEADER]: signIdentity(member(victim.id), federation.secret),
      });
      expect(closed).toBeNull();
      expect(events).toEqual([
        { data: { importJobProgress: { jobId: job.id, phase: 'DONE', counts: { created: 2 } } } },
      ]);
    });

    it('closes a connection without the gateway’s valid signature (4403), before any event', async () => {
      for (const [attempt, connectionParams] of Object.entries(refusedIdentities())) {
        const { events, closed } = await subscribeDirectly(connectionParams);
        expect({ attempt, code: (closed as { code?: number } | null)?.code }).toEqual({
          attempt,
          code: 4403,
        });
        expect(events).toEqual([]);
      }
    });
  });
});
