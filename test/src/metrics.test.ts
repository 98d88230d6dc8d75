import { gatewayConfigSchema, startGateway } from '@uif/gateway';
import { parseConfig } from '@uif/runtime';
import { employee, type HrProvider } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { activeConnector, dashboard, runImport, startHr } from './import-helpers.js';

/** One scrape of a /metrics endpoint: its text, and the value of a series by name and labels. */
async function scrape(url: string) {
  const answer = await fetch(`${url}/metrics`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await answer.text();
  return {
    text,
    value(series: string): number {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    },
  };
}

describe('Prometheus metrics', () => {
  let federation: Federation;
  let org: TestOrganization;
  let hr: HrProvider;

  beforeAll(async () => {
    federation = await startFederation({ gatewayEnv: { METRICS: 'true' } });
    org = await federation.newOrganization();
    hr = await startHr([employee(1), employee(2), employee(3, { email: 'not an email' })]);
  });
  afterAll(async () => {
    await hr?.close();
    await federation?.stop();
  });

  it("after an import, the import service's /metrics shows the job and its users by outcome, the connector's the provider requests", async () => {
    const before = await scrape(federation.imports.url);
    const providerBefore = await scrape(federation.connector.url);
    const connectorId = await activeConnector(org, hr.url, 2);
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job.status).toBe('PARTIAL');

    // The job's end is counted just after its final state is saved, which is what runImport saw.
    const jobsEnded = 'uif_import_jobs_total{status="PARTIAL",trigger="MANUAL"}';
    await expect
      .poll(async () => (await scrape(federation.imports.url)).value(jobsEnded) - before.value(jobsEnded))
      .toBe(1);
    const after = await scrape(federation.imports.url);
    const grew = (series: string) => after.value(series) - before.value(series);
    expect(grew('uif_import_users_total{outcome="created"}')).toBe(2);
    expect(grew('uif_import_users_total{outcome="failed"}')).toBe(1);
    expect(grew('uif_import_jobs_total{status="PARTIAL",trigger="MANUAL"}')).toBe(1);
    expect(grew('uif_import_job_duration_seconds_count{trigger="MANUAL"}')).toBe(1);
    expect(after.text).toMatch(/^uif_import_queue_depth \d+$/m);
    expect(after.text).toMatch(/^uif_import_jobs_awaiting_approval 0$/m);
    // Node's and the process's own metrics come along.
    expect(after.text).toMatch(/^process_cpu_seconds_total /m);
    expect(after.text).toMatch(/^nodejs_eventloop_lag_seconds /m);

    const provider = await scrape(federation.connector.url);
    // Two pages of two users, and the connection test and preview before activation read pages too.
    expect(
      provider.value('uif_provider_requests_total{kind="rest",status_class="2xx"}') -
        providerBefore.value('uif_provider_requests_total{kind="rest",status_class="2xx"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(provider.text).toMatch(
      /^uif_provider_request_duration_seconds_bucket\{le="1",kind="rest"\} \d+$/m,
    );

    // No user data, id or secret in any label.
    for (const scraped of [after, provider]) {
      for (const secret of [
        org.id,
        org.apiKey,
        connectorId,
        job.id,
        'Worker1@Acme.example',
        'worker1',
        hr.url,
      ]) {
        expect(scraped.text).not.toContain(secret);
      }
    }
  });

  it("counts the gateway's open subscriptions, served only when METRICS=true", async () => {
    const client = dashboard(federation, org);
    const before = (await scrape(federation.gateway.url)).value('uif_subscriptions_active');
    const dispose = client.subscribe(
      { query: 'subscription { importJobUpdates { jobId } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    const deadline = Date.now() + 10_000;
    let open = before;
    while (open === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      open = (await scrape(federation.gateway.url)).value('uif_subscriptions_active');
    }
    expect(open).toBe(before + 1);
    dispose();
    await client.dispose();
    let closed = open;
    while (closed !== before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      closed = (await scrape(federation.gateway.url)).value('uif_subscriptions_active');
    }
    expect(closed).toBe(before);

    // Without METRICS=true the gateway, on the public port, has no /metrics.
    const plain = await startGateway(
      parseConfig('gateway', gatewayConfigSchema, {
        PORT: '0',
        HOST: '127.0.0.1',
        INTERNAL_SECRET: federation.secret,
        DIRECTORY_URL: federation.directory.url,
        CONNECTOR_URL: federation.connector.url,
        IMPORT_URL: federation.imports.url,
        LOG_LEVEL: 'silent',
      }),
    );
    try {
      expect((await fetch(`${plain.url}/metrics`)).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});
