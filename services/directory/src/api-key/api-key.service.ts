import { createHash, randomBytes } from 'node:crypto';
import { isDuplicateKeyError } from '@uif/database';
import { IsNull, type DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { OrganizationService } from '../organization/organization.service.js';
import { ApiKeyInUseError } from './api-key.errors.js';
import { ApiKey } from './api-key.entity.js';

const KEY_PREFIX = 'uif_';

export interface AuthenticatedKey {
  organizationId: string;
  apiKeyId: string;
  label: string;
}

export interface CreatedKey {
  organizationId: string;
  apiKey: string;
  createdOrganization: boolean;
}

export function hashApiKey(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
}

export class ApiKeyService {
  constructor(private readonly dataSource: DataSource) {}

  /** The key's organization and label when the key is valid for that organization, else null. */
  async authenticate(apiKey: string, organizationId: string): Promise<AuthenticatedKey | null> {
    const key = await this.dataSource
      .getRepository(ApiKey)
      .findOneBy({ hash: hashApiKey(apiKey), organizationId, revokedAt: IsNull() });
    return key ? { organizationId: key.organizationId, apiKeyId: key.id, label: key.label } : null;
  }

  /**
   * Stores `apiKey` (or a new random one) for the organization, creating the organization when
   * it is missing. Idempotent for a key that organization already has.
   */
  async create(organizationId: string, label: string, apiKey = generateApiKey()): Promise<CreatedKey> {
    try {
      return await this.createOnce(organizationId, label, apiKey);
    } catch (error) {
      // Another process created the organization or stored the key meanwhile (two directories
      // starting at once with the same bootstrap key): a second pass finds them.
      if (!isDuplicateKeyError(error)) throw error;
      return this.createOnce(organizationId, label, apiKey);
    }
  }

  private createOnce(organizationId: string, label: string, apiKey: string): Promise<CreatedKey> {
    return this.dataSource.transaction(async (manager) => {
      const createdOrganization = await new OrganizationService(this.dataSource).ensure(
        manager,
        organizationId,
        organizationId === 'default' ? 'Default organization' : organizationId,
      );
      const repository = manager.getRepository(ApiKey);
      const hash = hashApiKey(apiKey);
      const existing = await repository.findOneBy({ hash });
      if (existing && existing.organizationId !== organizationId) throw new ApiKeyInUseError();
      if (!existing) {
        await repository.insert({
          id: uuidv7(),
          organizationId,
          label,
          prefix: apiKey.slice(0, 12),
          hash,
          createdAt: new Date(),
          revokedAt: null,
        });
      }
      return { organizationId, apiKey, createdOrganization };
    });
  }

  hasAnyKey(): Promise<boolean> {
    return this.dataSource.getRepository(ApiKey).exists();
  }
}
