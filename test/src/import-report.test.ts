import { dataOf, startSmtpMailbox, type HrProvider, type SmtpMailbox } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type Federation } from './federation.js';
import { activeConnector, employee, runImport, startHr, waitForJob } from './import-helpers.js';

describe('what an import reports: email, results link, cancel', () => {
  let federation: Federation;
  let mailbox: SmtpMailbox;
  let hr: HrProvider;
  beforeAll(async () => {
    mailbox = await startSmtpMailbox();
    federation = await startFederation({ importEnv: { SMTP_URL: mailbox.url, IMPORT_BATCH_SIZE: '2' } });
    hr = await startHr([
      employee(1),
      employee(2),
      employee(3, { email: 'broken' }),
      employee(4, { status: 'Leave' }),
    ]);
  });
  afterAll(async () => {
    await hr?.close();
    await federation?.stop();
    await mailbox?.close();
  });

  it('emails the summary to the organization’s recipients, in UTC, with the counts and a working CSV link', async () => {
    const org = await federation.newOrganization();
    dataOf(
      await org.query(
        'mutation { updateOrganizationSettings(input: { notificationEmails: ["it@acme.example", "hr@acme.example"] }) { id } }',
      ),
    );
    const connectorId = await activeConnector(org, hr.url);
    const job = await runImport(org, { connectorId, operations: ['USER_CREATE', 'USER_UPDATE'] });
    expect(job.status).toBe('PARTIAL');

    const deadline = Date.now() + 10_000;
    const about = (text: string | undefined) => (text ?? '').includes(job.id);
    while (!mailbox.received.some((m) => about(m.mail.text)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const { envelopeTo, mail } = mailbox.received.find((m) => about(m.mail.text))!;
    expect(envelopeTo).toEqual(['it@acme.example', 'hr@acme.example']);
    expect(mail.subject).toBe('User Import Complete: Acme HR');
    expect(mail.text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(mail.text).toMatch(/Created:?\s+2/);
    expect(mail.text).toMatch(/Failed:?\s+1/);
    expect(mail.text).toContain(job.resultsDownloadUrl!);
    expect(mail.html).toContain('Acme HR');

    expect(job.resultsDownloadUrl).toMatch(new RegExp(`^${federation.gateway.url}/import-results/`));
    const download = await fetch(job.resultsDownloadUrl!);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await download.text()).trim().split('\n');
    expect(rows[0]).toBe('externalId,email,username,outcome,detail,userId');
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatch(/^1001,worker1@acme\.example,worker1,CREATED,,[0-9a-f-]{36}$/i);
    expect(rows[3]).toBe('1003,broken,worker3,FAILED,email: is not a valid email address,');

    const forged = await fetch(job.resultsDownloadUrl!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(forged.status).toBe(404);
  });

  it('cancels a running import between batches, keeping what was applied', async () => {
    const org = await federation.newOrganization();
    const slow = await startHr(Array.from({ length: 40 }, (_, i) => employee(i + 1)));
    try {
      const connectorId = await activeConnector(org, slow.url, 4);
      slow.delayPages(150);
      const { startImport } = dataOf(
        await org.query<{ startImport: { id: string } }>(
          'mutation ($input: StartImportInput!) { startImport(input: $input) { id status } }',
          {
            input: { connectorId, operations: ['USER_CREATE'] },
          },
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
      const { cancelImport } = dataOf(
        await org.query<{ cancelImport: { id: string } }>(
          'mutation ($id: ID!) { cancelImport(jobId: $id) { id } }',
          { id: startImport.id },
        ),
      );
      expect(cancelImport.id).toBe(startImport.id);
      const job = await waitForJob(org, startImport.id);
      expect(job.status).toBe('CANCELLED');
      const again = await org.query('mutation ($id: ID!) { cancelImport(jobId: $id) { id } }', {
        id: startImport.id,
      });
      expect(again.errors?.[0]).toMatchObject({
        message: `Import job ${startImport.id} has already finished (cancelled)`,
        extensions: { code: 'CONFLICT' },
      });
    } finally {
      await slow.close();
    }
  });
});

describe('deactivating the connector of a running import', () => {
  let federation: Federation;
  let hr: HrProvider;
  beforeAll(async () => {
    federation = await startFederation();
    hr = await startHr(Array.from({ length: 40 }, (_, i) => employee(i + 1)));
  });
  afterAll(async () => {
    await hr?.close();
    await federation?.stop();
  });

  it('stops the job, which fails saying so, and leaves the directory as it was', async () => {
    const org = await federation.newOrganization();
    const connectorId = await activeConnector(org, hr.url, 4);
    hr.delayPages(150);
    const { startImport } = dataOf(
      await org.query<{ startImport: { id: string } }>(
        'mutation ($input: StartImportInput!) { startImport(input: $input) { id } }',
        {
          input: { connectorId, operations: ['USER_CREATE'] },
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    dataOf(
      await org.query('mutation ($id: ID!) { deactivateConnector(connectorId: $id) { state } }', {
        id: connectorId,
      }),
    );
    const job = await waitForJob(org, startImport.id);
    expect(job.status).toBe('FAILED');
    expect(job.error).toBe('Connector Acme HR is deactivated: the import stopped');
    const { users } = dataOf(await org.query<{ users: { totalCount: number } }>('{ users { totalCount } }'));
    expect(users.totalCount).toBe(0);
  });
});
