import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { dataOf, employee, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { activeConnector, directoryUsers, startHr } from './import-helpers.js';

const run = promisify(execFile);

/**
 * The curl examples of the seed's "To import users with the JumpCloud API", as JumpCloud documents
 * them; only the URL and the keys are replaced before they run (the schedule example shows no keys).
 */
const SEED_EXAMPLES = {
  findApplication: `curl --request GET \\
  --url 'https://console.jumpcloud.com/api/v2/applications?filter=displayLabel:$eq:Personio' \\
  --header 'x-api-key: REPLACE_KEY_VALUE' \\
  --header 'x-org-id: REPLACE_ORG_ID_VALUE'`,
  importNewUsersAndUpdates: `curl --request POST \\
  --url 'https://console.jumpcloud.com/api/v2/applications/{application_id}/import/jobs' \\
  --header 'accept: application/json' \\
  --header 'Content-Type: application/json' \\
  --header 'x-api-key: REPLACE_KEY_VALUE' \\
  --header 'x-org-id: REPLACE_ORG_ID_VALUE' \\
  --data '{
      "allowUserReactivation": true,
      "operations": [
          "users.create",
          "users.update"
      ],
      "queryString": ""
  }'`,
  importUpdatesOnly: `curl --request POST \\
  --url 'https://console.jumpcloud.com/api/v2/applications/{application_id}/import/jobs' \\
  --header 'accept: application/json' \\
  --header 'Content-Type: application/json' \\
  --header 'x-api-key: REPLACE_KEY_VALUE' \\
  --header 'x-org-id: REPLACE_ORG_ID_VALUE' \\
  --data '{
      "allowUserReactivation": true,
      "operations": [
          "users.update"
      ],
      "queryString": ""
  }'`,
  scheduleHourlyImports: `curl --request POST \\
  --url https://console.jumpcloud.com/api/v2/applications/{applicationObjectId}/import/schedules \\
  --header 'content-type: application/json' \\
  --header 'x-api-key: REPLACE_KEY_VALUE' \\
  --header 'x-org-id: REPLACE_ORG_ID_VALUE' \\
  --data '{"allowUserReactivation":true,"operations":{"userCreate":true,"userUpdate":true},"query":"string","sendEmail":true}'`,
};

interface RestJob {
  id: string;
  status: string;
  operations: string[];
  counts: Record<string, number>;
  links: { self: string; results: string; resultsDownload: string | null };
}

describe("the seed's REST API on the gateway", () => {
  let federation: Federation;
  let org: TestOrganization;
  let other: TestOrganization;
  let hr: HrProvider;
  let applicationId: string;
  let api: string;

  beforeAll(async () => {
    federation = await startFederation();
    [org, other] = await Promise.all([federation.newOrganization(), federation.newOrganization()]);
    hr = await startHr([employee(1), employee(2), employee(3)]);
    applicationId = await activeConnector(org, hr.url);
    dataOf(
      await org.query(
        'mutation ($id: ID!) { updateConnector(id: $id, input: { displayLabel: "Personio" }) { id } }',
        {
          id: applicationId,
        },
      ),
    );
    await activeConnector(org, hr.url); // a second application, which the filter leaves out
    api = `${federation.gateway.url}/api/v2`;
  });
  afterAll(async () => {
    await hr?.close();
    await federation?.stop();
  });

  /** Runs a seed example with our URL and keys, and answers the JSON it printed. */
  async function curl<T>(example: string, as: TestOrganization = org): Promise<T> {
    const command = example
      .replaceAll('https://console.jumpcloud.com/api/v2', api)
      .replaceAll(/\{(application_id|applicationObjectId)\}/g, applicationId)
      .replaceAll('REPLACE_KEY_VALUE', as.apiKey)
      .replaceAll('REPLACE_ORG_ID_VALUE', as.id);
    const { stdout } = await run('sh', ['-c', command]);
    return JSON.parse(stdout) as T;
  }

  function rest(path: string, init: RequestInit = {}, as: TestOrganization = org) {
    return fetch(`${api}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        'x-api-key': as.apiKey,
        'x-org-id': as.id,
        ...init.headers,
      },
    });
  }

  async function finished(job: RestJob): Promise<RestJob> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = (await (
        await rest(new URL(job.links.self).pathname.replace('/api/v2', ''))
      ).json()) as RestJob;
      if (!['QUEUED', 'RUNNING'].includes(answer.status)) return answer;
      if (Date.now() > deadline) throw new Error(`Job ${job.id} did not finish: ${JSON.stringify(answer)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("runs the seed's curl examples: find the application, import, import updates only, schedule", async () => {
    const found = await curl<{ totalCount: number; results: { _id: string; displayLabel: string }[] }>(
      SEED_EXAMPLES.findApplication,
    );
    expect(found.totalCount).toBe(1);
    expect(found.results.map((application) => [application._id, application.displayLabel])).toEqual([
      [applicationId, 'Personio'],
    ]);

    const started = await curl<RestJob>(SEED_EXAMPLES.importNewUsersAndUpdates);
    expect(started.operations).toEqual(['users.create', 'users.update']);
    const first = await finished(started);
    expect(first.status).toBe('SUCCEEDED');
    expect(first.counts).toMatchObject({ fetched: 3, created: 3, updated: 0 });
    expect((await directoryUsers(org)).totalCount).toBe(3);

    hr.users.splice(0, 1, employee(1, { department: 'Finance' }));
    hr.users.push(employee(4));
    const updates = await finished(await curl<RestJob>(SEED_EXAMPLES.importUpdatesOnly));
    expect(updates.operations).toEqual(['users.update']);
    expect(updates.counts).toMatchObject({ updated: 1, created: 0, unchanged: 2 });
    const people = await directoryUsers(org);
    expect(people.totalCount).toBe(3);
    expect(people.nodes.find((user) => user.username === 'worker1')?.department).toBe('Finance');

    const results = (await (
      await rest(new URL(updates.links.results).pathname.replace('/api/v2', ''))
    ).json()) as {
      total_count: number;
      results: { externalId: string; outcome: string }[];
    };
    expect(results.total_count).toBe(4);
    expect(results.results.find((result) => result.externalId === '1001')?.outcome).toBe('UPDATED');

    const schedule = await curl<Record<string, unknown>>(SEED_EXAMPLES.scheduleHourlyImports);
    expect(schedule).toMatchObject({
      applicationId,
      enabled: true,
      allowUserReactivation: true,
      operations: { userCreate: true, userUpdate: true },
      query: 'string',
      sendEmail: true,
    });
    const { connector } = dataOf(
      await org.query<{ connector: { importSchedule: { sendEmail: boolean; query: string } } }>(
        'query ($id: ID!) { connector(id: $id) { importSchedule { sendEmail query } } }',
        { id: applicationId },
      ),
    );
    expect(connector.importSchedule).toEqual({ sendEmail: true, query: 'string' });
  });

  it('lists the new users to pick, pages results by limit and skip, and imports the picked ones', async () => {
    const picks = (await (
      await rest(`/applications/${applicationId}/import/users?filter=worker4`)
    ).json()) as {
      total_count: number;
      users: { id: string; email: string; username: string; firstname: string; lastname: string }[];
    };
    expect(picks).toEqual({
      total_count: 1,
      users: [
        expect.objectContaining({
          id: '1004',
          email: 'Worker4@Acme.example',
          username: 'worker4',
          firstname: 'First4',
          lastname: 'Last4',
        }),
      ],
    });
    const answer = await rest(`/applications/${applicationId}/import/jobs`, {
      method: 'POST',
      body: JSON.stringify({ operations: ['users.create'], selectedExternalIds: ['1004'] }),
    });
    expect(answer.status).toBe(201);
    const job = await finished((await answer.json()) as RestJob);
    expect(answer.headers.get('location')).toBe(job.links.self);
    expect(job.counts).toMatchObject({ created: 1 });

    const jobs = (await (
      await rest(`/applications/${applicationId}/import/jobs?limit=2&skip=1`)
    ).json()) as RestJob[];
    expect(jobs).toHaveLength(2);
    const all = (await (await rest(`/applications/${applicationId}/import/jobs`)).json()) as RestJob[];
    expect(jobs.map((j) => j.id)).toEqual(all.slice(1, 3).map((j) => j.id));

    const update = all.find((j) => j.operations.join() === 'users.update')!;
    const resultsPath = new URL(update.links.results).pathname.replace('/api/v2', '');
    const everything = (await (await rest(resultsPath)).json()) as { results: { externalId: string }[] };
    const paged = (await (await rest(`${resultsPath}?limit=2&skip=1`)).json()) as {
      total_count: number;
      results: { externalId: string }[];
    };
    expect(paged.total_count).toBe(4);
    expect(paged.results).toEqual(everything.results.slice(1, 3));
    const beyond = (await (await rest(`${resultsPath}?skip=4`)).json()) as { results: unknown[] };
    expect(beyond.results).toEqual([]);
  });

  it('answers errors as JSON with their status: 400 naming the field, 401, 404 for another organization, 409', async () => {
    const post = (path: string, body: unknown, as = org) =>
      rest(path, { method: 'POST', body: JSON.stringify(body) }, as);
    const jobs = `/applications/${applicationId}/import/jobs`;

    const badOperation = await post(jobs, { operations: ['users.create', 'users.delete'] });
    expect(badOperation.status).toBe(400);
    expect(await badOperation.json()).toEqual({
      message: 'operations[1]: must be users.create or users.update',
      fields: ['operations[1]'],
    });
    const typo = await post(jobs, { allowUserReactvation: true });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { message: string }).message).toMatch(
      /^allowUserReactvation: not a field/,
    );
    const notJson = await rest(jobs, { method: 'POST', body: '{"operations": [' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/body/);

    const anonymous = await fetch(`${api}${jobs}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: expect.stringMatching(/x-api-key/) });
    const wrongKey = await fetch(`${api}/applications`, {
      headers: { 'x-api-key': 'uif_wrong', 'x-org-id': org.id },
    });
    expect(wrongKey.status).toBe(401);

    // Another organization's application: not found, on every route, and nothing started.
    const { importJobs: before } = dataOf(
      await org.query<{ importJobs: unknown[] }>('query ($id: ID!) { importJobs(connectorId: $id) { id } }', {
        id: applicationId,
      }),
    );
    for (const answer of [
      await post(jobs, {}, other),
      await rest(jobs, {}, other),
      await rest(`${jobs}/${(before[0] as { id: string }).id}`, {}, other),
      await rest(`${jobs}/${(before[0] as { id: string }).id}/results`, {}, other),
      await rest(`/applications/${applicationId}/import/users`, {}, other),
      await post(
        `/applications/${applicationId}/import/schedules`,
        { operations: { userCreate: true, userUpdate: false } },
        other,
      ),
    ]) {
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual({ message: expect.stringContaining('not found') });
    }
    const { importJobs: after } = dataOf(
      await org.query<{ importJobs: unknown[] }>('query ($id: ID!) { importJobs(connectorId: $id) { id } }', {
        id: applicationId,
      }),
    );
    expect(after).toHaveLength(before.length);
    const others = (await (await rest('/applications', {}, other)).json()) as { totalCount: number };
    expect(others.totalCount).toBe(0);

    const { createCustomApiConnector: inactive } = dataOf(
      await org.query<{ createCustomApiConnector: { id: string } }>(
        `mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id } }`,
        {
          input: {
            displayLabel: 'Not active yet',
            baseUrl: hr.url,
            auth: { bearerToken: { token: 'hr-token' } },
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
    const conflict = await post(`/applications/${inactive.id}/import/jobs`, {});
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ message: expect.stringMatching(/activate it first/) });

    const unknownRoute = await rest('/applications/x/import/nothing');
    expect(unknownRoute.status).toBe(404);
  });

  it('describes exactly its routes in a valid OpenAPI 3.1 document, and answers as it says', async () => {
    const document = (await (await fetch(`${api}/openapi.json`)).json()) as OpenApi;
    expect(document.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(document) as never);
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /applications',
        'POST /applications/{application_id}/import/jobs',
        'GET /applications/{application_id}/import/jobs',
        'GET /applications/{application_id}/import/jobs/{job_id}',
        'GET /applications/{application_id}/import/jobs/{job_id}/results',
        'GET /applications/{application_id}/import/users',
        'POST /applications/{applicationObjectId}/import/schedules',
      ].sort(),
    );

    // Every documented operation answers what its document says, errors included.
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'components', ...document.components }, 'components');
    const { importJobs } = dataOf(
      await org.query<{ importJobs: { id: string }[] }>(
        'query ($id: ID!) { importJobs(connectorId: $id) { id } }',
        {
          id: applicationId,
        },
      ),
    );
    const ids: Record<string, string> = {
      application_id: applicationId,
      applicationObjectId: applicationId,
      job_id: importJobs[0]!.id,
    };
    const bodies: Record<string, unknown> = {
      startImportJob: { operations: ['users.update'] },
      setImportSchedule: { operations: { userCreate: true, userUpdate: false } },
    };
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const url = path.replace(/\{(\w+)\}/g, (_all, name: string) => ids[name]!);
        for (const [as, expected] of [
          [org, operation.requestBody ? '201' : '200'],
          [other, path === '/applications' ? '200' : '404'],
        ] as const) {
          const answer = await rest(
            url,
            {
              method: method.toUpperCase(),
              ...(operation.requestBody ? { body: JSON.stringify(bodies[operation.operationId]) } : {}),
            },
            as,
          );
          expect(`${method} ${path}: ${answer.status}`).toBe(`${method} ${path}: ${expected}`);
          const schema = operation.responses[expected]!.content['application/json'].schema;
          const validate = ajv.compile(
            JSON.parse(JSON.stringify(schema).replaceAll('#/components', 'components#')) as object,
          );
          const body: unknown = await answer.json();
          expect(validate(body) ? [] : validate.errors, `${method} ${path} as documented`).toEqual([]);
        }
      }
    }
  });
});

interface OpenApi {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        requestBody?: unknown;
        responses: Record<string, { content: { 'application/json': { schema: unknown } } }>;
      }
    >
  >;
  components: Record<string, unknown>;
}
