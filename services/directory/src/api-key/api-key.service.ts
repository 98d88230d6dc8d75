import { createHash, randomBytes } from 'node:crypto';
import { isDuplicateKeyError } from '@uif/database';
import type { AuthenticatedKey } from '@uif/directory-client';
import { IsNull, type DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { OrganizationService } from '../organization/organization.service.js';
import { AmbiguousApiKeyError, ApiKeyInUseError, ApiKeyNotFoundError } from './api-key.errors.js';
import { ApiKey } from './api-key.entity.js';

const KEY_PREFIX = 'uif_';

export interface CreatedKey {
  organizationId: string;
  apiKey: string;
  createdOrganization: boolean;
}

export type ApiKeyListing = Omit<ApiKey, 'hash'>;

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

  /** The organization's keys, oldest first: what tells them apart, never the key itself. */
  list(organizationId: string): Promise<ApiKeyListing[]> {
    return this.dataSource.getRepository(ApiKey).find({
      where: { organizationId },
      select: { id: true, organizationId: true, label: true, prefix: true, createdAt: true, revokedAt: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Revokes the organization's key with this id, or with this label when exactly one live key has
   * it; returns the key as revoked. A key already revoked stays as it was.
   */
  async revoke(organizationId: string, which: { id?: string; label?: string }): Promise<ApiKeyListing> {
    const live = (await this.list(organizationId)).filter((key) =>
      which.id ? key.id === which.id : key.label === which.label && !key.revokedAt,
    );
    if (live.length > 1) throw new AmbiguousApiKeyError(which.label!, live.length);
    const [key] = live;
    if (!key) throw new ApiKeyNotFoundError(which.id ?? `labelled "${which.label}"`);
    if (key.revokedAt) return key;
    key.revokedAt = new Date();
    await this.dataSource
      .getRepository(ApiKey)
      .update({ id: key.id, organizationId, revokedAt: IsNull() }, { revokedAt: key.revokedAt });
    return key;
  }

  hasAnyKey(): Promise<boolean> {
    return this.dataSource.getRepository(ApiKey).exists();
  }
}
