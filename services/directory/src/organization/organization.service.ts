import { parseInput } from '@uif/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { User } from '../user/user.entity.js';
import { InvalidOrganizationSettingsError, OrganizationNotFoundError } from './organization.errors.js';
import { Organization } from './organization.entity.js';
import type { OrganizationSettingsInput } from './organization.inputs.js';

const settingsSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(255).optional(),
  notificationEmails: z
    .array(z.email({ message: 'must be email addresses' }).max(255))
    .max(50)
    .optional(),
  userLicenseLimit: z.number().int().min(0, 'must be 0 or more (null for unlimited)').nullable().optional(),
});

export class OrganizationService {
  constructor(private readonly dataSource: DataSource) {}

  async get(organizationId: string): Promise<Organization> {
    const organization = await this.dataSource.getRepository(Organization).findOneBy({ id: organizationId });
    if (!organization) throw new OrganizationNotFoundError(organizationId);
    return organization;
  }

  userCount(organizationId: string): Promise<number> {
    return this.dataSource.getRepository(User).countBy({ organizationId });
  }

  async updateSettings(organizationId: string, input: OrganizationSettingsInput): Promise<Organization> {
    const { name, notificationEmails, userLicenseLimit } = parseInput(
      settingsSchema,
      input,
      InvalidOrganizationSettingsError,
    );
    const organization = await this.get(organizationId);
    if (name !== undefined) organization.name = name;
    if (notificationEmails !== undefined)
      organization.notificationEmails = notificationEmails.map((e) => e.toLowerCase());
    if (userLicenseLimit !== undefined) organization.userLicenseLimit = userLicenseLimit;
    organization.updatedAt = new Date();
    return this.dataSource.getRepository(Organization).save(organization);
  }

  /** Creates the organization when it does not exist yet; returns whether it did. */
  async ensure(manager: EntityManager, id: string, name: string): Promise<boolean> {
    const repository = manager.getRepository(Organization);
    if (await repository.existsBy({ id })) return false;
    const now = new Date();
    await repository.insert({
      id,
      name,
      notificationEmails: [],
      userLicenseLimit: null,
      createdAt: now,
      updatedAt: now,
    });
    return true;
  }
}
