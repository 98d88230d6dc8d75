import { dataOf } from '@uif/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDirectoryFixture, type DirectoryFixture } from '../testing/directory-fixture.js';

const UPDATE = `mutation ($input: OrganizationSettingsInput!) {
  updateOrganizationSettings(input: $input) { id name notificationEmails userLicenseLimit userCount }
}`;

describe('organization settings', () => {
  let fixture: DirectoryFixture;
  beforeAll(async () => {
    fixture = await startDirectoryFixture('sqlite');
  });
  afterAll(() => fixture?.close());

  it('saves the name, recipients (lowercased) and license limit, and null lifts the limit', async () => {
    const org = await fixture.newOrganization();
    const saved = dataOf(
      await fixture.as(org)(UPDATE, {
        input: { name: 'Acme', notificationEmails: ['IT@Acme.example'], userLicenseLimit: 25 },
      }),
    );
    expect(saved.updateOrganizationSettings).toEqual({
      id: org,
      name: 'Acme',
      notificationEmails: ['it@acme.example'],
      userLicenseLimit: 25,
      userCount: 0,
    });
    const lifted = dataOf(
      await fixture.as(org)<{
        updateOrganizationSettings: { userLicenseLimit: number | null; name: string };
      }>(UPDATE, { input: { userLicenseLimit: null } }),
    );
    expect(lifted.updateOrganizationSettings).toMatchObject({ userLicenseLimit: null, name: 'Acme' });
  });

  it('rejects bad settings whole, naming every offending field', async () => {
    const org = await fixture.newOrganization();
    const answer = await fixture.as(org)(UPDATE, {
      input: { name: ' ', notificationEmails: ['ok@example.com', 'nope'], userLicenseLimit: -1 },
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.name', 'input.notificationEmails.1', 'input.userLicenseLimit'],
    });
    const { organization } = dataOf(
      await fixture.as(org)<{ organization: { name: string } }>('{ organization { name } }'),
    );
    expect(organization.name).toBe(org);
  });
});
