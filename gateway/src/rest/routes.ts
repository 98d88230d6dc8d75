import type { z } from 'zod';
import type { GraphQLCall } from './graphql-call.js';
import { RestError } from './rest-error.js';
import { defineRoute, type RestLinks, type RestRoute } from './route.js';
import {
  applicationListSchema,
  applicationsQuery,
  candidateListSchema,
  candidatesQuery,
  jobListSchema,
  jobSchema,
  OPERATIONS,
  pageQuery,
  resultListSchema,
  scheduleBody,
  scheduleSchema,
  startJobBody,
  type RestOperation,
} from './schemas.js';

const APPLICATION_FIELDS = 'id displayLabel description kind state authorized createdAt updatedAt';
const JOB_FIELDS = `id connector { id } trigger operations allowUserReactivation query status startedBy
  createdAt startedAt finishedAt error resultsDownloadUrl
  counts { fetched created updated suspended reactivated unchanged skipped failed }
  progress { total processed percent }`;
const SCHEDULE_FIELDS =
  'connector { id } enabled allowUserReactivation operations { userCreate userUpdate } query sendEmail minuteOfHour nextRunAt';

interface Application {
  id: string;
  displayLabel: string;
  description: string | null;
  kind: 'CUSTOM_API' | 'SCIM';
  state: string;
  authorized: boolean;
  createdAt: string;
  updatedAt: string;
}

interface Job extends Omit<
  z.output<typeof jobSchema>,
  'applicationId' | 'operations' | 'queryString' | 'links'
> {
  connector: { id: string };
  operations: (typeof OPERATIONS)[RestOperation][];
  query: string | null;
  resultsDownloadUrl: string | null;
}

const restOperation = Object.fromEntries(
  Object.entries(OPERATIONS).map(([rest, gql]) => [gql, rest]),
) as Record<(typeof OPERATIONS)[RestOperation], RestOperation>;

function toJob(job: Job, links: RestLinks): z.output<typeof jobSchema> {
  const { connector, operations, query, resultsDownloadUrl, ...rest } = job;
  const self = links.job(connector.id, job.id);
  return {
    ...rest,
    applicationId: connector.id,
    operations: operations.map((operation) => restOperation[operation]),
    queryString: query,
    links: { self, results: `${self}/results`, resultsDownload: resultsDownloadUrl },
  };
}

const notFound = (what: string, id: string) => new RestError(404, `${what} ${id} was not found`);

/** The application id of the path (express always fills it; the check keeps the type honest). */
function applicationId(params: Record<string, string>, name: string): string {
  const id = params[name];
  if (!id) throw new RestError(400, 'is required', [name]);
  return id;
}

/** `field:$eq:value` filters as JumpCloud writes them; each must match. */
function applicationFilter(filters: string | string[] | undefined): (application: Application) => boolean {
  const checks = [filters ?? []].flat().map((filter) => {
    const match = /^(id|displayLabel|kind|state):\$(eq|ne):(.*)$/.exec(filter);
    if (!match) {
      throw new RestError(
        400,
        `"${filter}" is not a filter this API knows: write field:$eq:value or field:$ne:value, with field one of id, displayLabel, kind, state`,
        ['filter'],
      );
    }
    const [, field, operator, value] = match as unknown as [string, keyof Application, 'eq' | 'ne', string];
    return (application: Application) => (String(application[field]) === value) === (operator === 'eq');
  });
  return (application) => checks.every((check) => check(application));
}

const page = <T>(items: T[], query: { limit: number; skip: number }) =>
  items.slice(query.skip, query.skip + query.limit);

const listApplications = defineRoute({
  method: 'get',
  path: '/applications',
  operationId: 'listApplications',
  summary: 'The connectors, as applications (filter=displayLabel:$eq:Personio finds one by its label)',
  query: applicationsQuery,
  status: 200,
  response: applicationListSchema,
  errors: [400],
  async handle({ query }, { call }) {
    const { connectors } = await call<{ connectors: Application[] }>(
      `{ connectors { ${APPLICATION_FIELDS} } }`,
    );
    const matching = connectors.filter(applicationFilter(query.filter));
    return {
      totalCount: matching.length,
      results: page(matching, query).map((application) => ({ ...application, _id: application.id })),
    };
  },
});

const startJob = defineRoute({
  method: 'post',
  path: '/applications/{application_id}/import/jobs',
  operationId: 'startImportJob',
  summary: 'Start an import: new users, updates, or both',
  body: startJobBody,
  status: 201,
  response: jobSchema,
  errors: [400, 404, 409, 502],
  async handle({ params, body }, { call, links }) {
    const connectorId = applicationId(params, 'application_id');
    const { startImport } = await call<{ startImport: Job }>(
      `mutation ($input: StartImportInput!) { startImport(input: $input) { ${JOB_FIELDS} } }`,
      {
        input: {
          connectorId,
          operations: body.operations.map((operation) => OPERATIONS[operation]),
          allowUserReactivation: body.allowUserReactivation,
          query: body.queryString || null,
          selectedExternalIds: body.selectedExternalIds ?? null,
        },
      },
      {
        'input.connectorId': 'application_id',
        'input.operations': 'operations',
        'input.query': 'queryString',
        'input.selectedExternalIds': 'selectedExternalIds',
      },
    );
    return toJob(startImport, links);
  },
});

const listJobs = defineRoute({
  method: 'get',
  path: '/applications/{application_id}/import/jobs',
  operationId: 'listImportJobs',
  summary: "The application's import jobs, newest first",
  query: pageQuery,
  status: 200,
  response: jobListSchema,
  errors: [400, 404],
  async handle({ params, query }, { call, links }) {
    const id = applicationId(params, 'application_id');
    const { connector } = await call<{ connector: { importJobs: Job[] } | null }>(
      `query ($id: ID!, $first: Int!) { connector(id: $id) { importJobs(first: $first) { ${JOB_FIELDS} } } }`,
      { id, first: query.skip + query.limit },
    );
    if (!connector) throw notFound('Application', id);
    return page(connector.importJobs, query).map((job) => toJob(job, links));
  },
});

/** The job read by `query` (whose importJob selects `connector { id }`), when it belongs to the application of the path. */
async function jobOf<Fields>(
  call: GraphQLCall,
  params: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Fields> {
  const id = params.job_id ?? '';
  const { importJob } = await call<{ importJob: (Fields & { connector: { id: string } }) | null }>(query, {
    id,
    ...variables,
  });
  if (!importJob || importJob.connector.id !== applicationId(params, 'application_id')) {
    throw notFound('Import job', id);
  }
  return importJob;
}

const getJob = defineRoute({
  method: 'get',
  path: '/applications/{application_id}/import/jobs/{job_id}',
  operationId: 'getImportJob',
  summary: 'One import job: status, counts and links',
  status: 200,
  response: jobSchema,
  errors: [404],
  async handle({ params }, { call, links }) {
    const job = await jobOf<Job>(call, params, `query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`);
    return toJob(job, links);
  },
});

interface ResultPage {
  results: {
    totalCount: number;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    nodes?: {
      externalId: string | null;
      email: string | null;
      username: string | null;
      outcome: string;
      detail: string | null;
      user: { id: string } | null;
    }[];
  };
}

/** One page of results; without `nodes` it only moves the cursor (to skip). */
const RESULTS_QUERY = `query ($id: ID!, $first: Int!, $after: String, $nodes: Boolean!) {
  importJob(id: $id) { connector { id } results(first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes @include(if: $nodes) { externalId email username outcome detail user { id } } } } }`;

/** The most results one GraphQL page holds. */
const MAX_GRAPHQL_PAGE = 500;

const getJobResults = defineRoute({
  method: 'get',
  path: '/applications/{application_id}/import/jobs/{job_id}/results',
  operationId: 'listImportJobResults',
  summary: "The job's per-user results, in the order the application listed the users",
  query: pageQuery,
  status: 200,
  response: resultListSchema,
  errors: [400, 404],
  async handle({ params, query }, { call }) {
    const read = (first: number, after: string | null, nodes: boolean) =>
      jobOf<ResultPage>(call, params, RESULTS_QUERY, { first, after, nodes });
    // Results page by cursor: walk past the first `skip` of them, then read one page.
    let after: string | null = null;
    for (let left = query.skip; left > 0; left -= MAX_GRAPHQL_PAGE) {
      const { results } = await read(Math.min(left, MAX_GRAPHQL_PAGE), after, false);
      if (!results.pageInfo.hasNextPage) return { total_count: results.totalCount, results: [] };
      after = results.pageInfo.endCursor;
    }
    const { results } = await read(query.limit, after, true);
    return {
      total_count: results.totalCount,
      results: (results.nodes ?? []).map(({ user, ...result }) => ({ ...result, userId: user?.id ?? null })),
    };
  },
});

interface Candidate {
  externalId: string;
  email: string | null;
  username: string | null;
  firstname: string | null;
  lastname: string | null;
  displayname: string | null;
  status: string | null;
}

const listCandidates = defineRoute({
  method: 'get',
  path: '/applications/{application_id}/import/users',
  operationId: 'listImportUsers',
  summary: 'The new users the application has and the directory lacks, to pick for an import',
  query: candidatesQuery,
  status: 200,
  response: candidateListSchema,
  errors: [400, 404, 502],
  async handle({ params, query }, { call }) {
    const connectorId = applicationId(params, 'application_id');
    const { importCandidates } = await call<{ importCandidates: { totalCount: number; nodes: Candidate[] } }>(
      `query ($connectorId: ID!, $query: String) { importCandidates(connectorId: $connectorId, query: $query) {
        totalCount nodes { externalId email username firstname lastname displayname status } } }`,
      { connectorId, query: query.query ?? null },
      { connectorId: 'application_id', query: 'query' },
    );
    const text = query.filter?.toLowerCase();
    const matching = text
      ? importCandidates.nodes.filter((candidate) =>
          [
            candidate.email,
            candidate.username,
            candidate.firstname,
            candidate.lastname,
            candidate.displayname,
          ].some((value) => value?.toLowerCase().includes(text)),
        )
      : importCandidates.nodes;
    return {
      total_count: text ? matching.length : importCandidates.totalCount,
      users: page(matching, query).map(({ externalId, ...candidate }) => ({ id: externalId, ...candidate })),
    };
  },
});

const setSchedule = defineRoute({
  method: 'post',
  path: '/applications/{applicationObjectId}/import/schedules',
  operationId: 'setImportSchedule',
  summary: "Set the application's hourly import",
  body: scheduleBody,
  status: 201,
  response: scheduleSchema,
  errors: [400, 404, 409],
  async handle({ params, body }, { call }) {
    const { setImportSchedule } = await call<{
      setImportSchedule: Omit<z.output<typeof scheduleSchema>, 'applicationId'> & {
        connector: { id: string };
      };
    }>(
      `mutation ($input: ImportScheduleInput!) { setImportSchedule(input: $input) { ${SCHEDULE_FIELDS} } }`,
      {
        input: {
          ...body,
          connectorId: applicationId(params, 'applicationObjectId'),
          query: body.query || null,
        },
      },
      {
        'input.connectorId': 'applicationObjectId',
        'input.operations': 'operations',
        'input.query': 'query',
      },
    );
    const { connector, ...schedule } = setImportSchedule;
    return { applicationId: connector.id, ...schedule };
  },
});

/** Every route of the REST API, in the order the OpenAPI document lists them. */
export const REST_ROUTES: RestRoute[] = [
  listApplications,
  startJob,
  listJobs,
  getJob,
  getJobResults,
  listCandidates,
  setSchedule,
];
