/// <reference lib="dom" />
// Page functions run in the browser: they use its globals.
import {
  dataOf,
  employee,
  expectedScimEmail,
  scimUsers,
  startHrProvider,
  startPagedProvider,
  startScimmyProvider,
  type HrProvider,
  type ScimProvider,
  type ScimUser,
} from '@uif/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pageProblems, screenshot, seriousAccessibilityViolations } from './browser.js';
import { startFederation, type Federation, type TestOrganization } from './federation.js';
import { activeConnector, directoryUsers, runImport, type Employee } from './import-helpers.js';
import { CLIENT_SECRET, startAuthorizationServer } from './oauth-server.js';

const HR_KEY = 'hr-console-key-7f1c';
const SCIM_TOKEN = 'scim-console-token-2b8e';
/** A browser walking a whole workflow on a shared machine: generous, each step still waits at most 30 s. */
const BROWSER_TEST_TIMEOUT = 180_000;

describe('the admin console in a browser', () => {
  let federation: Federation;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const providers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    federation = await startFederation();
    browser = await launchChromium();
  });
  afterEach(async () => {
    await page?.close();
    await Promise.all(providers.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await federation?.stop();
  });

  async function openConsole(viewport = { width: 1280, height: 900 }) {
    page = await browser.newPage({ viewport });
    problems = pageProblems(page);
    const response = await page.goto(`${federation.gateway.url}/`);
    return response!;
  }

  /** No serious or critical accessibility violation on the screen as it is now. */
  async function expectAccessible(screen: string) {
    expect(await seriousAccessibilityViolations(page), screen).toEqual([]);
  }

  async function signIn(org: TestOrganization) {
    await page.getByLabel('Organization ID').fill(org.id);
    await page.getByLabel('API key').fill(org.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connectors' }).waitFor();
  }

  const errorOf = async (field: Locator) => {
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const ids = (await field.getAttribute('aria-describedby'))!.split(' ');
    return page.locator(`[id="${ids[0]}"]`).innerText();
  };

  it(
    "runs the seeds' custom API workflow by clicking: connector, a failing Test Connection, mapping, activation, import with live progress, results",
    async () => {
      const staff = Array.from({ length: 250 }, (_, i) =>
        employee(i + 1, i % 50 === 49 ? { status: 'Leave' } : i === 10 ? { email: 'not-an-email' } : {}),
      );
      const hr: HrProvider = await startHrProvider({
        users: staff,
        total: { header: 'X-Total-Count' },
        authorize: (headers) => headers['x-api-key'] === HR_KEY,
      });
      providers.push(hr);
      const org = await federation.newOrganization();

      const answer = await openConsole();
      const csp = answer.headers()['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");

      // Sign-in: a wrong key says so.
      await page.getByRole('heading', { name: 'User import · Admin console' }).waitFor();
      await expectAccessible('sign-in');
      await screenshot(page, 'sign-in');
      await page.getByLabel('Organization ID').fill(org.id);
      await page.getByLabel('API key').fill('uif_wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'The API key is not valid for this organization.' })
        .waitFor();
      problems.splice(0); // the browser logs the refused sign-in's 401 itself
      await signIn(org);
      await page.getByText('No connectors yet').waitFor();
      await expectAccessible('connectors, empty');

      // New connector → Custom API; Save shows every missing field at once, beside the field.
      await page.getByRole('button', { name: 'New connector' }).click();
      await page.getByRole('link', { name: 'Custom API' }).click();
      await page.getByRole('heading', { name: 'New Custom API connector' }).waitFor();
      await page.getByLabel('Resource Location').fill('');
      await page.getByRole('button', { name: 'Save' }).click();
      for (const label of [
        'Display Label',
        'Base URL',
        'Header name',
        'Header value',
        'Resource Location',
        'Endpoint Path',
        'Response Header Name',
      ]) {
        expect(await errorOf(page.getByLabel(label, { exact: true })), label).toBe('is required');
      }
      await expectAccessible('custom API form with errors');

      // The server's own checks land beside their fields too.
      await page.getByLabel('Display Label').fill('Acme HR');
      await page.getByLabel('Description (optional)').fill('The HR system of record');
      await page.getByLabel('Base URL').fill('hr.acme.example');
      await page.getByLabel('Authentication Method').selectOption({ label: 'API Key' });
      await page.getByLabel('Header name', { exact: true }).fill('X-Api-Key');
      await page.getByLabel('Header value').fill('a-key-the-provider-refuses');
      await page.getByLabel('Resource Location').fill('.');
      await page.getByLabel('Endpoint Path').fill('employees');
      await page.getByLabel('Response Parameter Location').selectOption({ label: 'Header' });
      await page.getByLabel('Response Header Name').fill('X-Total-Count');
      await page.getByLabel('Limit Name').fill('limit');
      await page.getByLabel('Offset Name').fill('offset');
      await page.getByRole('button', { name: 'Save' }).click();
      expect(await errorOf(page.getByLabel('Base URL'))).toBe('must be an http(s) URL');
      expect(await errorOf(page.getByLabel('Endpoint Path'))).toContain('must start with /');
      await screenshot(page, 'custom-api-form', true);
      await page.getByLabel('Base URL').fill(hr.url);
      await page.getByLabel('Endpoint Path').fill('/employees');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Acme HR' }).waitFor();

      // Test Connection fails: a notification slides out and the provider's full answer shows under the configuration.
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByRole('alert').filter({ hasText: 'Test Connection failed' }).waitFor();
      const providerAnswer = page.getByRole('region', { name: 'Response from the service provider' });
      await providerAnswer.getByText('HTTP status 401').waitFor();
      expect(await providerAnswer.getByLabel('Provider response body').innerText()).toBe(
        '{"error":"invalid_credentials","message":"The API key is not valid"}',
      );
      await expectAccessible('failed test connection');
      await screenshot(page, 'test-connection-failed');

      // The admin fixes the key (Edit configuration → Update) and the test passes with the total.
      await page.getByRole('button', { name: 'Edit configuration' }).click();
      await page.getByLabel('Header name', { exact: true }).fill('X-Api-Key');
      await page.getByLabel('Header value').fill(HR_KEY);
      await page.getByRole('button', { name: 'Update' }).click();
      await page.getByRole('button', { name: 'Edit configuration' }).waitFor();
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByRole('status').filter({ hasText: '100 users of 250' }).first().waitFor();

      // Mapping: Company email and Username required; Preview shows raw and mapped users with their errors.
      await page.getByRole('button', { name: 'Preview' }).click();
      expect(await errorOf(page.getByLabel('Company email'))).toBe('is required');
      expect(await errorOf(page.getByLabel('Username'))).toBe('is required');
      await page.getByRole('button', { name: 'Load the provider’s fields' }).click();
      await page.getByText('fields in the provider’s users').waitFor();
      await page.getByLabel('Company email').fill('$.email');
      await page.getByLabel('Username').fill('$.login');
      await page.getByLabel('First name (optional)').fill('$.first');
      await page.getByLabel('Last name (optional)').fill('$.last');
      await page.getByLabel('Department (optional)').fill('$.department');
      await page.getByLabel('Status path').fill('$.status');
      await expectAccessible('mapping');
      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByRole('dialog', { name: 'User schema preview' });
      await preview.waitFor();
      expect(await preview.getByLabel('Provider users').innerText()).toContain('"login": "worker1"');
      await preview.getByRole('cell', { name: 'First1' }).first().waitFor();
      await expectAccessible('mapping preview');
      await screenshot(page, 'mapping-preview');
      await preview.getByRole('button', { name: 'OK' }).click();

      await page.getByRole('button', { name: 'Activate' }).click();
      await page.getByText('The Identity Management integration has been successfully verified.').waitFor();
      await page.getByRole('button', { name: 'Start Manual Import' }).waitFor();
      await expectAccessible('active connector');

      // Start Manual Import → the first option, Continue → the job with live progress up to 100 %.
      hr.delayPages(700);
      await page.getByRole('button', { name: 'Start Manual Import' }).click();
      const start = page.getByRole('dialog', { name: 'Start Manual Import' });
      for (const option of [
        'Import new users and user updates',
        'Only import new users',
        'Only import user updates',
        'View and select specific new users to import (updates not supported)',
      ]) {
        await start.getByLabel(option).waitFor();
      }
      await start.getByLabel('Import new users and user updates').check();
      await start.getByLabel('Allow reactivation of users on update').check();
      await expectAccessible('start manual import');
      await start.getByRole('button', { name: 'Continue' }).click();
      const bar = page.getByRole('progressbar', { name: 'Import progress' });
      await bar.waitFor();
      // Every value the bar shows, as the subscription moves it.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { progressSeen: string[] }).progressSeen = seen;
        const record = () => {
          const now = document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow');
          if (now && seen.at(-1) !== now) seen.push(now);
        };
        record();
        new MutationObserver(record).observe(document.body, {
          subtree: true,
          attributes: true,
          childList: true,
        });
      });
      await page.waitForFunction(
        () => Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')) > 0,
      );
      await screenshot(page, 'import-progress');
      await expectAccessible('import running');
      await page.waitForFunction(
        () => document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') === '100',
        undefined,
        { timeout: 30_000 },
      );
      await page.getByRole('heading', { name: 'Results' }).waitFor();
      const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
      expect(
        seen.some((value) => Number(value) > 0 && Number(value) < 100),
        seen.join(','),
      ).toBe(true);
      expect(seen.at(-1)).toBe('100');

      // Results: the tiles, the per-user table filtered by outcome, the CSV.
      const tile = (label: string) =>
        page.getByRole('list', { name: 'Counts' }).getByRole('listitem').filter({ hasText: label });
      expect(await tile('Created').innerText()).toContain('244');
      expect(await tile('Skipped').innerText()).toContain('5');
      expect(await tile('Failed').innerText()).toContain('1');
      await tile('Failed').getByRole('button').click();
      expect(await page.getByLabel('Outcome').inputValue()).toBe('FAILED');
      const resultRows = page.getByRole('table', { name: 'Per-user results' }).getByRole('row');
      await expect.poll(() => resultRows.count()).toBe(2);
      expect(await resultRows.nth(1).innerText()).toContain('worker11');
      await expectAccessible('results');
      await page.getByLabel('Outcome').selectOption({ label: 'All outcomes' });
      await page.getByText('100 of 250 shown').waitFor();
      await screenshot(page, 'results');
      const csvUrl = await page.getByRole('link', { name: 'Download results (CSV)' }).getAttribute('href');
      const csv = await (await fetch(csvUrl!)).text();
      expect(csv.trim().split('\n')).toHaveLength(251);

      // The hourly schedule: on by default since activation; the admin asks for the summary email.
      await page.getByRole('link', { name: '← Acme HR' }).click();
      await page.getByRole('heading', { name: 'Scheduled imports' }).waitFor();
      expect(await page.getByLabel('Scheduled Imports (hourly)').isChecked()).toBe(true);
      await page.getByText(/Runs every hour at minute \d\d \(UTC\) · next run 20/).waitFor();
      await page.getByLabel('Receive summary email after each scheduled import').check();
      await page.getByRole('button', { name: 'Save schedule' }).click();
      await page.getByText('Schedule saved').waitFor();
      const { connectors } = dataOf(
        await org.query<{ connectors: { importSchedule: { sendEmail: boolean; enabled: boolean } }[] }>(
          '{ connectors { importSchedule { sendEmail enabled } } }',
        ),
      );
      expect(connectors[0]!.importSchedule).toEqual({ sendEmail: true, enabled: true });
      await expectAccessible('connector with schedule');
      await screenshot(page, 'connector', true);

      // The directory has them, and the connectors list says when the last import ran.
      expect((await directoryUsers(org)).totalCount).toBe(244);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connectors' }).click();
      await page.getByRole('link', { name: /^Succeeded|^Partial/ }).waitFor();
      await expectAccessible('connectors');
      await screenshot(page, 'connectors');
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'imports three users picked from a SCIM application',
    async () => {
      const staff = scimUsers(12);
      const scim: ScimProvider<ScimUser> = await startScimmyProvider({ users: staff, token: SCIM_TOKEN });
      providers.push(scim);
      const org = await federation.newOrganization();
      await openConsole();
      await signIn(org);

      await page.getByRole('button', { name: 'New connector' }).click();
      await page.getByRole('link', { name: 'SCIM' }).click();
      await page.getByLabel('Display Label').fill('Acme Wiki');
      await page.getByLabel('Base URL').fill(scim.url);
      await page.getByLabel('Authentication Method').selectOption({ label: 'Bearer Token' });
      await page.getByLabel('Token Key').fill(SCIM_TOKEN);
      await expectAccessible('SCIM form');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Acme Wiki' }).waitFor();
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByRole('status').filter({ hasText: 'Connection successful' }).first().waitFor();
      // The standard SCIM mapping comes with the connector.
      expect(await page.getByLabel('Company email', { exact: true }).inputValue()).toContain('$.emails');
      await page.getByRole('button', { name: 'Activate' }).click();
      await page.getByRole('button', { name: 'Start Manual Import' }).click();
      const start = page.getByRole('dialog', { name: 'Start Manual Import' });
      await start.getByLabel('View and select specific new users to import (updates not supported)').check();
      await start.getByRole('button', { name: 'Continue' }).click();

      await page.getByRole('heading', { name: 'Select users to import' }).waitFor();
      await page.getByText('0 of 12 users selected').waitFor();
      const picked = staff.slice(2, 5);
      const candidates = page.getByRole('table', { name: 'New users in the application' });
      for (const user of picked) {
        await page.getByLabel('Search').fill(user.userName);
        const row = candidates
          .getByRole('row')
          .filter({ has: page.getByRole('cell', { name: user.userName, exact: true }) });
        await row.getByRole('checkbox').check();
      }
      await page.getByLabel('Search').fill('');
      await page.getByText('3 of 12 users selected').waitFor();
      await expectAccessible('select users');
      await screenshot(page, 'select-users');
      await page.getByRole('button', { name: 'Import' }).click();

      await page.getByRole('heading', { name: 'Results' }).waitFor();
      const tile = (label: string) =>
        page.getByRole('list', { name: 'Counts' }).getByRole('listitem').filter({ hasText: label });
      expect(await tile('Created').innerText()).toContain('3');
      const results = page.getByRole('table', { name: 'Per-user results' }).getByRole('row');
      await results.nth(3).waitFor();
      expect(await results.count()).toBe(4);
      await expectAccessible('SCIM results');
      const { nodes: users } = await directoryUsers(org);
      expect(users.map((u) => u.username).sort()).toEqual(picked.map((u) => u.userName).sort());

      // Users and Directory Insights show who was imported, from where, by whom.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      await page.getByRole('table', { name: 'Users' }).getByRole('row').nth(3).waitFor();
      await expectAccessible('users');
      await screenshot(page, 'users');
      await page.getByRole('link', { name: expectedScimEmail(picked[0]!)! }).click();
      await page.getByRole('heading', { name: 'Attributes' }).waitFor();
      await page.getByRole('cell', { name: 'User created' }).waitFor();
      await expectAccessible('user');
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Directory Insights' })
        .click();
      // The user's page shows 'User created' too: wait for this page's heading, then for its rows.
      await page.getByRole('heading', { name: 'Directory Insights' }).waitFor();
      await expect.poll(() => page.getByRole('cell', { name: 'Acme Wiki' }).count()).toBe(3);
      await expectAccessible('directory insights');
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Organization' })
        .click();
      await page.getByLabel('Notification emails').fill('it@acme.example');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Organization saved').waitFor();
      await expectAccessible('organization');
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'authorizes an OAuth 2.0 connector at the provider and comes back to it',
    async () => {
      const auth = await startAuthorizationServer(`${federation.gateway.url}/oauth/callback`);
      providers.push(auth);
      const org = await federation.newOrganization();
      await openConsole();
      await signIn(org);

      await page.getByRole('button', { name: 'New connector' }).click();
      await page.getByRole('link', { name: 'Custom API' }).click();
      await page.getByLabel('Display Label').fill('Workday-like HR');
      await page.getByLabel('Base URL').fill(auth.api.url);
      await page.getByLabel('Authentication Method').selectOption({ label: 'OAuth 2.0' });
      await page.getByLabel('Authorization URL').fill(auth.urls.authorizationUrl);
      await page.getByLabel('Client ID').fill('uif-connector');
      await page.getByLabel('Client Secret').fill(CLIENT_SECRET);
      await page.getByLabel('Access Token URL').fill(auth.urls.accessTokenUrl);
      await page.getByLabel('Revoke URL (optional)').fill(auth.urls.revokeUrl);
      await page.getByLabel('Scopes (optional)').fill('openid offline_access hr.read');
      await page.getByLabel('Endpoint Path').fill('/users');
      await page.getByLabel('Response Parameter Location').selectOption({ label: 'None' });
      await expectAccessible('OAuth 2.0 form');
      await page.getByRole('button', { name: 'Save' }).click();

      // Saved, the browser goes to the provider: sign in there, consent, and come back.
      await page.waitForURL((url) => url.toString().startsWith(new URL(auth.urls.authorizationUrl).origin));
      await page.locator('input[name=login]').fill('alice');
      await page.locator('input[name=password]').fill('any');
      await page.locator('[type=submit]').click();
      await page.locator('[type=submit]').click();
      await page.getByRole('heading', { name: 'Authorization complete' }).waitFor();
      await page.getByRole('link', { name: 'Back to the admin console' }).click();
      await page.getByRole('heading', { name: 'Workday-like HR' }).waitFor();
      expect(await page.getByText('This connector is not authorized yet.').count()).toBe(0);
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByRole('status').filter({ hasText: 'Connection successful' }).first().waitFor();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'follows an import whose total the provider does not give, in users read, on its page and in the connectors list, and cancels it',
    async () => {
      const hr = await startHrProvider({ users: Array.from({ length: 40 }, (_, i) => employee(i + 1)) });
      providers.push(hr);
      const org = await federation.newOrganization();
      const connectorId = await activeConnector(org, hr.url, 4);
      hr.delayPages(1_000);
      await openConsole();
      await signIn(org);
      await page.goto(`${federation.gateway.url}/#/connectors/${connectorId}`);
      await page.getByRole('button', { name: 'Start Manual Import' }).click();
      const start = page.getByRole('dialog', { name: 'Start Manual Import' });
      await start.getByLabel('Only import new users').check();
      await start.getByRole('button', { name: 'Continue' }).click();

      const bar = page.getByRole('progressbar', { name: 'Import progress' });
      await page.waitForFunction(() =>
        /Fetching: [1-9]\d* users read/.test(
          document.querySelector('[role=progressbar]')?.getAttribute('aria-valuetext') ?? '',
        ),
      );
      expect(await bar.getAttribute('aria-valuenow')).toBeNull();

      // The connectors list follows the organization's imports live, and leads back to the running one.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connectors' }).click();
      const live = page.getByRole('link', { name: /^Running · \d+ users read$/ });
      const before = Number(/(\d+) users/.exec(await live.innerText())![1]);
      await page.waitForFunction((count) => {
        const link = Array.from(document.querySelectorAll('a')).find((a) =>
          a.textContent?.startsWith('Running · '),
        );
        return Number(/(\d+) users/.exec(link?.textContent ?? '')?.[1]) > count;
      }, before);
      await expectAccessible('connectors, an import running');
      await live.click();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByText('CANCELLED', { exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Results' }).waitFor();
      expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
      const { importJobs } = dataOf(
        await org.query<{ importJobs: { status: string }[] }>('{ importJobs { status } }'),
      );
      expect(importJobs).toEqual([{ status: 'CANCELLED' }]);
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'connects to a provider that pages by cursor and wants a custom header, maps with a transform and imports',
    async () => {
      // The same HR system at a second address, where the connector moves after its first test.
      const [hr, moved] = await Promise.all(
        [1, 2].map(() =>
          startPagedProvider({
            users: Array.from({ length: 250 }, (_, i) => employee(i + 1)),
            paging: { style: 'CURSOR' },
            authorize: (headers) => headers['x-tenant-id'] === 'acme-42',
          }),
        ),
      );
      providers.push(hr!, moved!);
      const org = await federation.newOrganization();
      await openConsole();
      await signIn(org);
      await page.getByRole('button', { name: 'New connector' }).click();
      await page.getByRole('link', { name: 'Custom API' }).click();
      await page.getByLabel('Display Label').fill('Cursor HR');
      await page.getByLabel('Base URL').fill(hr!.url);
      await page.getByLabel('Authentication Method').selectOption({ label: 'Bearer Token' });
      await page.getByLabel('Token Key').fill('unused-by-this-provider');
      await page.getByLabel('Resource Location').fill('data');
      await page.getByLabel('Endpoint Path').fill('/employees');
      await page.getByLabel('Response Parameter Location').selectOption({ label: 'None' });

      // Each style asks for what it needs: the offset parameter becomes the cursor's, beside its path.
      await page.getByLabel('Pagination Style').selectOption({ label: 'Next URL' });
      expect(await page.getByLabel('Offset Name').count()).toBe(0);
      await page.getByLabel('Next URL JSON Path (optional)').waitFor();
      await page.getByLabel('Pagination Style').selectOption({ label: 'Page number' });
      await page.getByLabel('Page Name').waitFor();
      expect(await page.getByLabel('First Page').inputValue()).toBe('1');
      await page.getByLabel('Pagination Style').selectOption({ label: 'Cursor' });
      await page.getByLabel('Cursor Name').fill('cursor');
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByRole('button', { name: 'Remove custom header 2' }).click();
      expect(await page.getByLabel('Custom header 2 name').count()).toBe(0);
      await page.getByRole('button', { name: 'Save' }).click();
      expect(await errorOf(page.getByLabel('Cursor JSON Path'))).toBe('is required');
      expect(await errorOf(page.getByLabel('Custom header 1 name'))).toBe('is required');
      expect(await errorOf(page.getByLabel('Custom header 1 value'))).toBe('is required');
      await page.getByLabel('Cursor JSON Path').fill('meta.next_cursor');
      await page.getByLabel('Custom header 1 name').fill('X-Tenant-ID');
      await page.getByLabel('Custom header 1 value').fill('acme-42');
      await expectAccessible('cursor pagination and a custom header');
      await screenshot(page, 'pagination', true);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Cursor HR' }).waitFor();
      await page.getByText('meta.next_cursor', { exact: true }).waitFor();
      await page.getByText('X-Tenant-ID', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByRole('status').filter({ hasText: 'Connection successful' }).first().waitFor();

      // Editing shows the saved header's name; its value is never sent back to the browser, and
      // moving the Base URL to another host takes the value typed again.
      await page.getByRole('button', { name: 'Edit configuration' }).click();
      expect(await page.getByLabel('Custom header 1 name').inputValue()).toBe('X-Tenant-ID');
      expect(await page.getByLabel('Custom header 1 value').inputValue()).toBe('');
      await page.getByText('Saved: X-Tenant-ID.').waitFor();
      await expectAccessible('editing a connector with a custom header');
      await page.getByLabel('Base URL').fill(moved!.url);
      await page.getByRole('button', { name: 'Update' }).click();
      expect(await errorOf(page.getByLabel('Token Key'))).toBe('is required');
      expect(await errorOf(page.getByLabel('Custom header 1 value'))).toBe('is required');
      await page.getByLabel('Token Key').fill('unused-by-this-provider');
      await page.getByLabel('Custom header 1 value').fill('acme-42');
      await page.getByRole('button', { name: 'Update' }).click();
      await page.getByText(moved!.url, { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByRole('status').filter({ hasText: 'Connection successful' }).nth(1).waitFor();

      // A broken transform is refused beside its attribute; a sound one shows in the Preview.
      await page.getByLabel('Company email').fill('$.email');
      await page.getByLabel('Username').fill('$.login');
      await page.getByLabel('First name (optional)').fill('$.first');
      await page.getByLabel('First name transform (optional)').fill('$uppercase(');
      await page.getByLabel('Status path').fill('$');
      await page.getByLabel('Status transform (optional)').fill('status = ');
      await page.getByRole('button', { name: 'Save mapping' }).click();
      expect(await errorOf(page.getByLabel('First name transform (optional)'))).toMatch(
        /^is not a valid JSONata expression: /,
      );
      expect(await errorOf(page.getByLabel('Status transform (optional)'))).toMatch(
        /^is not a valid JSONata expression: /,
      );
      await expectAccessible('mapping with a refused transform');
      await page.getByLabel('First name transform (optional)').fill('$uppercase($)');
      await page.getByLabel('Status transform (optional)').fill('end_date ? "Inactive" : status');
      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByRole('dialog', { name: 'User schema preview' });
      await preview.getByText('FIRST1', { exact: true }).waitFor();
      expect(await preview.getByLabel('Provider users').innerText()).toContain('"first": "First1"');
      await preview.getByRole('button', { name: 'OK' }).click();

      await page.getByRole('button', { name: 'Activate' }).click();
      await page.getByRole('button', { name: 'Start Manual Import' }).click();
      const start = page.getByRole('dialog', { name: 'Start Manual Import' });
      await start.getByLabel('Import new users and user updates').check();
      await start.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 60_000 });
      const created = page
        .getByRole('list', { name: 'Counts' })
        .getByRole('listitem')
        .filter({ hasText: 'Created' });
      expect(await created.innerText()).toContain('250');
      const { users } = dataOf(
        await org.query<{ users: { totalCount: number; nodes: { firstname: string | null }[] } }>(
          '{ users(first: 1, filter: { search: "worker1@" }) { totalCount nodes { firstname } } }',
        ),
      );
      expect(users).toEqual({ totalCount: 1, nodes: [{ firstname: 'FIRST1' }] });
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'saves a connector with Basic credentials and tests it',
    async () => {
      const expected = `Basic ${Buffer.from('hr-user:hr-pass-9c2d').toString('base64')}`;
      const hr = await startHrProvider({
        users: [employee(1)],
        total: { header: 'X-Total-Count' },
        authorize: (headers) => headers.authorization === expected,
      });
      providers.push(hr);
      const org = await federation.newOrganization();
      await openConsole();
      await signIn(org);
      await page.getByRole('button', { name: 'New connector' }).click();
      await page.getByRole('link', { name: 'Custom API' }).click();
      await page.getByLabel('Display Label').fill('Basic HR');
      await page.getByLabel('Base URL').fill(hr.url);
      await page.getByLabel('Authentication Method').selectOption({ label: 'Basic' });
      await page.getByLabel('User name').fill('hr-user');
      await page.getByLabel('Password').fill('hr-pass-9c2d');
      await page.getByLabel('Endpoint Path').fill('/employees');
      await page.getByLabel('Response Header Name').fill('X-Total-Count');
      await expectAccessible('Basic form');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Basic HR' }).waitFor();
      expect(await page.getByText('Basic', { exact: true }).count()).toBe(1);
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByRole('status').filter({ hasText: 'Connection successful' }).first().waitFor();
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows a dry run with its changes, then an import the brake stopped, with why, approved by clicking',
    async () => {
      const hr = await startHrProvider({ users: Array.from({ length: 20 }, (_, i) => employee(i + 1)) });
      providers.push(hr);
      const org = await federation.newOrganization();
      const connectorId = await activeConnector(org, hr.url, 10);
      expect((await runImport(org, { connectorId, operations: ['USER_CREATE'] })).counts.created).toBe(20);
      (hr.users[0] as Employee).department = 'Research';

      await openConsole();
      await signIn(org);
      await page.goto(`${federation.gateway.url}/#/connectors/${connectorId}`);
      const startImport = async (dryRun: boolean) => {
        await page.getByRole('button', { name: 'Start Manual Import' }).click();
        const start = page.getByRole('dialog', { name: 'Start Manual Import' });
        await start.getByLabel('Import new users and user updates').check();
        await start.getByLabel('Dry run').setChecked(dryRun);
        await start.getByRole('button', { name: 'Continue' }).click();
      };
      const count = (label: string) =>
        page
          .getByRole('list', { name: 'Counts' })
          .getByRole('listitem')
          .filter({ hasText: label })
          .locator('.tile-count')
          .innerText();
      const resultRows = page.getByRole('table', { name: 'Per-user results' }).getByRole('row');

      // A dry run: marked as such, with the change it would make, and nothing changed.
      await startImport(true);
      await page.getByRole('heading', { name: 'Results of the dry run' }).waitFor();
      await page.getByText('Dry run — nothing was changed', { exact: true }).waitFor();
      expect(await count('Updated')).toBe('1');
      expect(await count('Unchanged')).toBe('19');
      const updated = resultRows.filter({ hasText: 'worker1@acme.example' });
      expect(await updated.getByRole('listitem').allInnerTexts()).toEqual(['department: Ops → Research']);
      await expectAccessible('a dry run');
      await page
        .getByRole('list', { name: 'Counts' })
        .getByRole('listitem')
        .filter({ hasText: 'Updated' })
        .getByRole('button')
        .click();
      await expect.poll(() => resultRows.count()).toBe(2);
      await screenshot(page, 'dry-run', true);
      const departments = (await directoryUsers(org)).nodes.map((u) => u.department);
      expect(departments.filter((d) => d === 'Research')).toEqual([]);

      // The brake allows five suspensions; the schedule would suspend users who left the application.
      await page.goto(`${federation.gateway.url}/#/connectors/${connectorId}`);
      const brake = page.getByRole('form', { name: 'Brake on mass suspensions' });
      expect(await brake.getByLabel('Stop imports that suspend many users').isChecked()).toBe(true);
      expect(await brake.getByLabel('Maximum suspensions').inputValue()).toBe('50');
      expect(await brake.getByLabel('Maximum percent of active users').inputValue()).toBe('20');
      await brake.getByLabel('Maximum suspensions').fill('5');
      await expectAccessible('the schedule and the brake');
      await brake.getByRole('button', { name: 'Save brake' }).click();
      await page.getByRole('status').filter({ hasText: 'Brake saved' }).first().waitFor();
      // Off, so that no scheduled run comes between the manual ones.
      await page.getByLabel('Scheduled Imports (hourly)').uncheck();
      await page.getByLabel('Suspend users no longer in the application').check();
      await page.getByRole('button', { name: 'Save schedule' }).click();
      await page.getByRole('status').filter({ hasText: 'Schedule saved' }).first().waitFor();
      const { connector } = dataOf(
        await org.query<{
          connector: {
            importBrake: { maxSuspensions: number };
            importSchedule: { enabled: boolean; suspendMissingUsers: boolean };
          };
        }>(
          'query ($id: ID!) { connector(id: $id) { importBrake { maxSuspensions } importSchedule { enabled suspendMissingUsers } } }',
          { id: connectorId },
        ),
      );
      expect(connector).toEqual({
        importBrake: { maxSuspensions: 5 },
        importSchedule: { enabled: false, suspendMissingUsers: true },
      });

      // Ten leave at the provider: the import stops for approval, and says why.
      for (const user of hr.users.slice(10)) (user as Employee).status = 'Inactive';
      await startImport(false);
      const approval = page.getByRole('region', { name: 'Awaiting approval' });
      await approval.waitFor();
      expect(await approval.innerText()).toMatch(/10 suspensions planned of 20 active users/);
      expect(await approval.innerText()).toMatch(
        /Limits: at most 5 suspensions and at most 20 % of the active users · stopped /,
      );
      const waitingJob = page.url();
      await page.goto(`${federation.gateway.url}/#/connectors/${connectorId}`);
      await page.getByText(/Paused: scheduled runs are skipped until/).waitFor();
      await page.goto(waitingJob);
      await approval.waitFor();
      await expectAccessible('an import awaiting approval');
      await screenshot(page, 'awaiting-approval');
      expect((await directoryUsers(org)).nodes.filter((u) => u.state === 'SUSPENDED')).toEqual([]);

      await approval.getByRole('button', { name: 'Approve', exact: true }).click();
      const confirm = page.getByRole('dialog', { name: 'Approve this import?' });
      expect(await confirm.innerText()).toContain('10 users will be suspended');
      await expectAccessible('approving an import');
      await confirm.getByRole('button', { name: 'Approve and apply' }).click();
      await page.getByText('SUCCEEDED', { exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Results', exact: true }).waitFor();
      expect(await count('Suspended')).toBe('10');
      await page.getByText(/approved by e2e key/).waitFor();
      expect((await directoryUsers(org)).nodes.filter((u) => u.state === 'SUSPENDED')).toHaveLength(10);

      // Directory Insights keeps who was held by the brake, and who approved, newest first.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Directory Insights' })
        .click();
      const holds = page.getByRole('table', { name: 'Imports held by the brake' }).getByRole('row');
      await expect.poll(() => holds.count()).toBe(3);
      expect(await holds.nth(1).innerText()).toMatch(
        /Plan approved\s+e2e key\s+Acme HR\s+10 of 20 active users/,
      );
      expect(await holds.nth(2).innerText()).toMatch(/Held by the brake\s+e2e key\s+Acme HR/);
      await expectAccessible('held imports');
      // A timestamp is read at a glance: none wraps onto a second line, in either table.
      const times = page.getByRole('main').locator('table time');
      expect(await times.count()).toBeGreaterThanOrEqual(3);
      const wrapped = await times.evaluateAll((all) =>
        all.filter((time) => time.getClientRects().length > 1).map((time) => time.textContent),
      );
      expect(wrapped).toEqual([]);
      await screenshot(page, 'held-imports', true);
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'cancels an import the brake stopped, and nobody is suspended',
    async () => {
      const hr = await startHrProvider({ users: Array.from({ length: 8 }, (_, i) => employee(i + 1)) });
      providers.push(hr);
      const org = await federation.newOrganization();
      const connectorId = await activeConnector(org, hr.url, 10);
      expect((await runImport(org, { connectorId, operations: ['USER_CREATE'] })).counts.created).toBe(8);
      dataOf(
        await org.query(
          'mutation ($id: ID!) { setImportBrake(connectorId: $id, input: { enabled: true, maxSuspensions: 2 }) { enabled } }',
          { id: connectorId },
        ),
      );
      for (const user of hr.users.slice(0, 3)) (user as Employee).status = 'Inactive';

      await openConsole();
      await signIn(org);
      await page.goto(`${federation.gateway.url}/#/connectors/${connectorId}`);
      await page.getByRole('button', { name: 'Start Manual Import' }).click();
      await page
        .getByRole('dialog', { name: 'Start Manual Import' })
        .getByRole('button', { name: 'Continue' })
        .click();
      const approval = page.getByRole('region', { name: 'Awaiting approval' });
      await approval.getByText('3 suspensions planned').waitFor();
      await approval.getByRole('button', { name: 'Cancel import' }).click();
      await page.getByText('CANCELLED', { exact: true }).waitFor();
      expect(await approval.count()).toBe(0);
      expect((await directoryUsers(org)).nodes.filter((u) => u.state === 'SUSPENDED')).toEqual([]);
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT,
  );
});
