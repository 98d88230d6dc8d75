import type { ConnectorClient } from '@uif/connector-client';
import type { DirectoryClient } from '@uif/directory-client';
import { parseInput } from '@uif/runtime';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { brakeTrips, DEFAULT_BRAKE, type BrakeLimits } from './brake.js';
import type { BrakeTrip } from '../import-job/import-job.types.js';
import { ImportBrake } from './brake.entity.js';

const brakeInputSchema = z.object({
  enabled: z.boolean(),
  maxSuspensions: z.number().int().min(0, 'must be 0 or more').nullish(),
  maxSuspensionPercent: z.number().min(0, 'must be 0 or more').max(100, 'must be at most 100').nullish(),
});

/** Each connector's brake on mass suspensions, and whether a plan trips it. */
export class BrakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connectors: Pick<ConnectorClient, 'connector'>,
    private readonly directory: Pick<DirectoryClient, 'activeLinkedUsers'>,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(ImportBrake);
  }

  /** The connector's brake: the stored one, else the default. */
  async get(organizationId: string, connectorId: string): Promise<BrakeLimits> {
    const stored = await this.repository.findOneBy({ organizationId, connectorId });
    if (!stored) return DEFAULT_BRAKE;
    const { enabled, maxSuspensions, maxSuspensionPercent } = stored;
    return { enabled, maxSuspensions, maxSuspensionPercent };
  }

  async set(organizationId: string, connectorId: string, input: unknown): Promise<BrakeLimits> {
    const parsed = parseInput(brakeInputSchema, input);
    // Throws NOT_FOUND for a connector of another organization.
    await this.connectors.connector(organizationId, connectorId);
    const limits: BrakeLimits = {
      enabled: parsed.enabled,
      maxSuspensions: parsed.maxSuspensions ?? null,
      maxSuspensionPercent: parsed.maxSuspensionPercent ?? null,
    };
    await this.repository.save({ organizationId, connectorId, ...limits, updatedAt: new Date() });
    return limits;
  }

  /** The trip when suspending `planned` of the connector's users passes its brake; null otherwise. */
  async check(organizationId: string, connectorId: string, planned: number): Promise<BrakeTrip | null> {
    const limits = await this.get(organizationId, connectorId);
    if (!limits.enabled || planned === 0) return null;
    const active = (await this.directory.activeLinkedUsers({ organizationId, connectorId })).length;
    if (!brakeTrips(limits, planned, active)) return null;
    return {
      plannedSuspensions: planned,
      activeUsers: active,
      maxSuspensions: limits.maxSuspensions,
      maxSuspensionPercent: limits.maxSuspensionPercent,
      at: new Date(),
    };
  }
}
