import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createActiveConnector,
  dataOf,
  employee,
  gatewayClient,
  startHrProvider,
  temporaryDirectory,
  testSecret,
} from '@uif/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForJob } from './import-helpers.js';
import { startLikePnpmStart, stop, type Started } from './launch.js';

/** The first email written to the outbox (it is sent once the job has finished). */
async function outboxMessage(outbox: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith('.eml')) : [];
    if (files.length > 0) return readFileSync(join(outbox, files[0]!), 'utf8');
    if (Date.now() > deadline) throw new Error(`No email in ${outbox}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('pnpm start', () => {
  const running: Started[] = [];
  afterEach(() => {
    for (const started of running.splice(0)) started.child.kill('SIGKILL');
  });

  it('serves the gateway on an embedded database, prints a key once, and stops cleanly', async () => {
    const dataDir = temporaryDirectory();
    const first = await startLikePnpmStart(dataDir);
    running.push(first);
    const organizationId = /x-org-id: +(\S+)/.exec(first.output())?.[1];
    const apiKey = /x-api-key: +(\S+)/.exec(first.output())?.[1];
    expect(organizationId).toBe('default');
    expect(apiKey).toMatch(/^uif_/);

    const query = gatewayClient(first.gatewayUrl, apiKey!, organizationId!);
    expect(dataOf(await query('{ organization { id name } }'))).toEqual({
      organization: { id: 'default', name: 'Default organization' },
    });
    expect(existsSync(join(dataDir, 'directory.sqlite'))).toBe(true);
    // The admin console, at /.
    const consolePage = await fetch(`${first.gatewayUrl}/`);
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await consolePage.text()).toContain('<title>User import · Admin console</title>');
    expect(await stop(first)).toBe(0);

    const second = await startLikePnpmStart(dataDir);
    running.push(second);
    expect(second.output()).not.toMatch(/x-api-key/);
    const again = gatewayClient(second.gatewayUrl, apiKey!, organizationId!);
    expect(dataOf(await again('{ organization { id } }'))).toEqual({ organization: { id: 'default' } });
    expect(await stop(second)).toBe(0);
  });

  it('hands out links to the gateway on PORT when PUBLIC_URL is unset: the email link, the download, the OAuth callback', async () => {
    const dataDir = temporaryDirectory();
    const org = { id: 'acme', apiKey: `uif_${testSecret()}` };
    const started = await startLikePnpmStart(dataDir, {
      BOOTSTRAP_ORG_ID: org.id,
      BOOTSTRAP_API_KEY: org.apiKey,
      ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    });
    running.push(started);
    const query = gatewayClient(started.gatewayUrl, org.apiKey, org.id);
    const hr = await startHrProvider({
      users: [employee(1), employee(2)],
      total: { header: 'X-Total-Count' },
    });
    try {
      dataOf(
        await query(
          'mutation { updateOrganizationSettings(input: { notificationEmails: ["it@acme.example"] }) { id } }',
        ),
      );
      const connectorId = await createActiveConnector(query, hr.url);
      const { startImport } = dataOf(
        await query<{ startImport: { id: string } }>(
          'mutation ($id: ID!) { startImport(input: { connectorId: $id, operations: [USER_CREATE] }) { id } }',
          { id: connectorId },
        ),
      );
      const job = await waitForJob({ ...org, query }, startImport.id);
      expect(job.counts.created).toBe(2);
      expect(job.resultsDownloadUrl).toMatch(new RegExp(`^${started.gatewayUrl}/import-results/`));
      const download = await fetch(job.resultsDownloadUrl!);
      expect(download.status).toBe(200);
      expect(await download.text()).toMatch(/^1002,Worker2@Acme.example,worker2,CREATED,/m);

      const email = await outboxMessage(join(dataDir, 'outbox'));
      expect(email.replace(/=\r?\n/g, '')).toContain(job.resultsDownloadUrl);

      const oauth = dataOf(
        await query<{ createCustomApiConnector: { id: string } }>(
          `mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id } }`,
          {
            input: {
              displayLabel: 'OAuth HR',
              baseUrl: hr.url,
              auth: {
                oauth2: {
                  authorizationUrl: `${hr.url}/authorize`,
                  accessTokenUrl: `${hr.url}/token`,
                  clientId: 'uif',
                  clientSecret: 'client-secret-0b6e',
                  scopes: 'hr.read',
                },
              },
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
      ).createCustomApiConnector;
      const { beginOAuthAuthorization } = dataOf(
        await query<{ beginOAuthAuthorization: { authorizationUrl: string } }>(
          'mutation ($id: ID!) { beginOAuthAuthorization(connectorId: $id) { authorizationUrl } }',
          { id: oauth.id },
        ),
      );
      expect(new URL(beginOAuthAuthorization.authorizationUrl).searchParams.get('redirect_uri')).toBe(
        `${started.gatewayUrl}/oauth/callback`,
      );
      // The explorer asks the endpoint it was served from, whatever the port.
      const explorer = await fetch(`${started.gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
      expect(explorer.status).toBe(200);
      expect(await explorer.text()).toContain('createFetcher({ url: window.location.pathname })');
    } finally {
      await hr.close();
    }
    expect(await stop(started)).toBe(0);
  });
});
