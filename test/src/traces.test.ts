import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createActiveConnector,
  createTestDatabase,
  dataOf,
  employee,
  gatewayClient,
  startHrProvider,
  temporaryDirectory,
  testSecret,
  uniqueId,
  type HrProvider,
  type TestDatabase,
} from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForJob } from './import-helpers.js';
import { startLikePnpmStart, stop, type Started } from './launch.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

interface ReceivedSpan extends OtlpSpan {
  service: string;
}

interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** An OTLP/HTTP (JSON) receiver: what the processes' exporters send to /v1/traces. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        for (const resource of (JSON.parse(body) as OtlpTraces).resourceSpans) {
          const service =
            resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const scope of resource.scopeSpans)
            for (const span of scope.spans) spans.push({ ...span, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

const attribute = (span: OtlpSpan, key: string) =>
  span.attributes?.find((a) => a.key === key)?.value.stringValue ?? '';

describe('OpenTelemetry traces', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let database: TestDatabase;
  let hr: HrProvider;
  let started: Started;
  const org = { id: 'acme', apiKey: `uif_${testSecret()}` };

  beforeAll(async () => {
    [receiver, database, hr] = await Promise.all([
      startOtlpReceiver(),
      createTestDatabase(),
      startHrProvider({ users: [employee(1), employee(2), employee(3)], total: { header: 'X-Total-Count' } }),
    ]);
    started = await startLikePnpmStart(temporaryDirectory(), {
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      IMPORT_QUEUE_NAME: uniqueId('traces'),
      BOOTSTRAP_ORG_ID: org.id,
      BOOTSTRAP_API_KEY: org.apiKey,
      ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
  });
  afterAll(async () => {
    if (started) await stop(started);
    await hr?.close();
    await database?.drop();
    receiver?.server.close();
  });

  it('follows an import in one trace from the gateway through the queue to the provider and the SQL, and logs its id', async () => {
    const query = gatewayClient(started.gatewayUrl, org.apiKey, org.id);
    const connectorId = await createActiveConnector(query, hr.url, 2);
    const { startImport } = dataOf(
      await query<{ startImport: { id: string } }>(
        'mutation ($id: ID!) { startImport(input: { connectorId: $id, operations: [USER_CREATE] }) { id } }',
        { id: connectorId },
      ),
    );
    const job = await waitForJob({ ...org, query }, startImport.id);
    expect(job.counts.created).toBe(3);

    // The trace of startImport: the gateway's request, the import service's, then (through BullMQ)
    // the job's calls: the connector service reading the provider's pages, the directory writing.
    const providerPort = new URL(hr.url).port;
    const isProviderRequest = (span: ReceivedSpan) =>
      span.service === 'uif-connector' &&
      attribute(span, 'url.full').includes(`:${providerPort}/employees`) &&
      attribute(span, 'url.full').includes('offset=2');
    const isUserInsert = (span: ReceivedSpan) =>
      span.service === 'uif-directory' &&
      /^INSERT/i.test(attribute(span, 'db.query.text') || attribute(span, 'db.statement'));
    let trace: ReceivedSpan[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const lastPage = receiver.spans.find(isProviderRequest);
      trace = lastPage ? receiver.spans.filter((span) => span.traceId === lastPage.traceId) : [];
      if (trace.some(isUserInsert) && trace.some((span) => span.service === 'uif-gateway')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const services = new Set(trace.map((span) => span.service));
    expect([...services].sort()).toEqual(['uif-connector', 'uif-directory', 'uif-gateway', 'uif-import']);
    expect(trace.filter(isProviderRequest)).toHaveLength(1);
    expect(trace.some(isUserInsert)).toBe(true);
    const root = trace.find((span) => !span.parentSpanId)!;
    expect(root.service).toBe('uif-gateway');

    // The job's log lines carry the trace id.
    const finished = started
      .output()
      .split('\n')
      .find(
        (line) => line.startsWith('import') && line.includes(startImport.id) && line.includes('"trace_id"'),
      );
    expect(finished).toContain(`"trace_id":"${root.traceId}"`);
  });
});
