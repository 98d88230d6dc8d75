import { createActiveConnector, dataOf, startHrProvider, type Employee } from '@uif/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Federation, TestOrganization } from './federation.js';

export { employee, type Employee } from '@uif/testing';

/** An HR provider of ours with these employees, paged by limit/offset with the total in a header. */
export function startHr(employees: Employee[]) {
  return startHrProvider({ users: employees, total: { header: 'X-Total-Count' } });
}

/** A custom-API connector on `baseUrl`, mapped and activated, through the gateway. */
export function activeConnector(org: TestOrganization, baseUrl: string, pageSize = 4): Promise<string> {
  return createActiveConnector(org.query, baseUrl, pageSize);
}

export interface FinishedJob {
  id: string;
  status: string;
  error: string | null;
  counts: Record<string, number>;
  resultsDownloadUrl: string | null;
}

const JOB_FIELDS =
  'id status error counts { fetched created updated suspended reactivated unchanged skipped failed } resultsDownloadUrl';

/** Starts an import and waits until it has finished. */
export async function runImport(org: TestOrganization, input: Record<string, unknown>): Promise<FinishedJob> {
  const { startImport } = dataOf(
    await org.query<{ startImport: { id: string } }>(
      `mutation ($input: StartImportInput!) { startImport(input: $input) { id } }`,
      { input },
    ),
  );
  return waitForJob(org, startImport.id);
}

export async function waitForJob(
  org: TestOrganization,
  id: string,
  timeoutMs = 30_000,
): Promise<FinishedJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { importJob } = dataOf(
      await org.query<{ importJob: FinishedJob }>(
        `query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`,
        { id },
      ),
    );
    if (!['QUEUED', 'RUNNING'].includes(importJob.status)) return importJob;
    if (Date.now() > deadline) throw new Error(`Import ${id} did not finish: ${JSON.stringify(importJob)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function resultsOf(org: TestOrganization, jobId: string) {
  const { importJob } = dataOf(
    await org.query<{
      importJob: {
        results: {
          totalCount: number;
          nodes: {
            externalId: string;
            outcome: string;
            detail: string | null;
            user: { id: string } | null;
          }[];
        };
      };
    }>(
      'query ($id: ID!) { importJob(id: $id) { results(first: 500) { totalCount nodes { externalId outcome detail user { id } } } } }',
      { id: jobId },
    ),
  );
  return importJob.results;
}

export async function directoryUsers(org: TestOrganization) {
  const { users } = dataOf(
    await org.query<{
      users: {
        totalCount: number;
        nodes: {
          id: string;
          email: string;
          username: string;
          state: string;
          department: string | null;
          lastname: string | null;
        }[];
      };
    }>('{ users(first: 500) { totalCount nodes { id email username state department lastname } } }'),
  );
  return users;
}

/** A SCIM connector on `baseUrl` with a bearer token and the standard mapping, activated. */
export async function activeScimConnector(
  org: TestOrganization,
  baseUrl: string,
  token: string,
  displayLabel = 'Acme Wiki',
): Promise<string> {
  const { createScimConnector } = dataOf(
    await org.query<{ createScimConnector: { id: string } }>(
      'mutation ($input: ScimConnectorInput!) { createScimConnector(input: $input) { id } }',
      { input: { displayLabel, baseUrl, auth: { bearerToken: { token } } } },
    ),
  );
  const id = createScimConnector.id;
  dataOf(await org.query('mutation ($id: ID!) { activateConnector(connectorId: $id) { state } }', { id }));
  return id;
}

/** Starts an import and answers the job as startImport returned it (finished when it ran at once). */
export async function startImportNow(org: TestOrganization, input: Record<string, unknown>) {
  return org.query<{ startImport: FinishedJob }>(
    `mutation ($input: StartImportInput!) { startImport(input: $input) { ${JOB_FIELDS} } }`,
    { input },
  );
}

/** A dashboard connected to the gateway over graphql-ws with an organization's key. */
export function dashboard(federation: Federation, org: TestOrganization): Client {
  return createClient({
    url: federation.gateway.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { 'x-api-key': org.apiKey, 'x-org-id': org.id },
    retryAttempts: 0,
  });
}
