import { userBatchSchema, type UserBatchResult } from '@uif/directory-client';
import { bulkInsert, findIn, isDuplicateKeyError, isMysql } from '@uif/database';
import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DirectoryEvent } from '../directory-event/directory-event.entity.js';
import { Organization } from '../organization/organization.entity.js';
import { UserLink } from '../user/user-link.entity.js';
import { User } from '../user/user.entity.js';
import { BatchOrganizationNotFoundError } from './user-batch.errors.js';
import {
  planBatch,
  wantedUniqueValues,
  type BatchContext,
  type BatchPlan,
  type BatchState,
} from './user-batch.planner.js';

/**
 * Values per IN list: one lookup per key for an import's batch of 2,000 users, well under SQLite's
 * 32,766 parameters (MySQL's driver inlines values, so only the packet size bounds it there).
 */
const CHUNK = 2_000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * Applies a batch of user changes for one organization in one transaction: a conflict fails its
 * user alone, a database failure leaves nothing of the batch. A dry run answers the same results
 * and writes nothing.
 */
export class UserBatchService {
  /** SQLite has one writer: batches in this process wait their turn instead of failing busy. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  async apply(input: unknown): Promise<UserBatchResult> {
    const batch = userBatchSchema.parse(input);
    const run = () =>
      this.dataSource.transaction(async (manager) => {
        const organization = await this.lockOrganization(manager, batch.organizationId);
        const context: BatchContext = {
          organizationId: batch.organizationId,
          connectorId: batch.connectorId,
          importJobId: batch.importJobId ?? null,
          now: new Date(),
        };
        if (!batch.dryRun && batch.changes.every(isCreate)) {
          const written = await this.writeOnFreeKeys(
            manager,
            organization,
            batch.changes,
            context,
            batch.actor,
          );
          if (written) return { results: written.results };
        }
        const state = await this.loadState(manager, organization, batch.connectorId, batch.changes);
        const plan = planBatch(batch.changes, state, context);
        if (!batch.dryRun) await this.write(manager, plan, context, batch.actor);
        return { results: plan.results };
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Serializes the batches of one organization across processes (MySQL), so uniqueness checks hold. */
  private async lockOrganization(manager: EntityManager, organizationId: string): Promise<Organization> {
    const query = manager
      .getRepository(Organization)
      .createQueryBuilder('o')
      .where('o.id = :organizationId', {
        organizationId,
      });
    if (isMysql(this.dataSource)) query.setLock('pessimistic_write');
    const organization = await query.getOne();
    if (!organization) throw new BatchOrganizationNotFoundError(organizationId);
    return organization;
  }

  /**
   * Writes a batch of new users as if the directory held none of their external ids, emails,
   * usernames or employee identifiers: the import matched them against the directory moments ago,
   * so these are nearly always free, and the database's unique keys check each as its row goes in.
   * Looking every key up first cost a fifth of the directory's time for such a batch. Should one
   * have been taken since, a savepoint undoes the batch, and null says to plan it again on what the
   * database holds.
   */
  private async writeOnFreeKeys(
    manager: EntityManager,
    organization: Organization,
    changes: unknown[],
    context: BatchContext,
    actor: string,
  ): Promise<BatchPlan | null> {
    const plan = planBatch(changes, await this.emptyState(manager, organization), context);
    await manager.query('SAVEPOINT free_keys');
    try {
      await this.write(manager, plan, context, actor);
      return plan;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT free_keys');
      return null;
    }
  }

  /**
   * A state holding none of the batch's keys, with the organization's users counted only when a
   * license limit makes the count matter.
   */
  private async emptyState(manager: EntityManager, organization: Organization): Promise<BatchState> {
    return {
      links: new Map(),
      users: new Map(),
      owners: { email: new Map(), usernameKey: new Map(), employeeIdentifier: new Map() },
      userCount:
        organization.userLicenseLimit === null
          ? 0
          : await manager.getRepository(User).countBy({ organizationId: organization.id }),
      userLicenseLimit: organization.userLicenseLimit,
    };
  }

  private async loadState(
    manager: EntityManager,
    organization: Organization,
    connectorId: string,
    changes: unknown[],
  ): Promise<BatchState> {
    const organizationId = organization.id;
    const state = await this.emptyState(manager, organization);
    const { links, users, owners } = state;
    const externalIds = [...new Set(changes.map((c) => (c as { externalId?: unknown })?.externalId))].filter(
      (id): id is string => typeof id === 'string',
    );
    for (const part of chunks(externalIds)) {
      for (const link of await findIn(
        manager.getRepository(UserLink),
        { organizationId, connectorId },
        'externalId',
        part,
      )) {
        links.set(link.externalId, link.userId);
      }
    }
    const targetIds = new Set(links.values());
    for (const change of changes) {
      const userId = (change as { userId?: unknown })?.userId;
      if (typeof userId === 'string') targetIds.add(userId);
    }
    for (const part of chunks([...targetIds])) {
      for (const user of await findIn(manager.getRepository(User), { organizationId }, 'id', part))
        users.set(user.id, user);
    }
    const wanted = wantedUniqueValues(changes);
    for (const key of ['email', 'usernameKey', 'employeeIdentifier'] as const) {
      for (const part of chunks([...wanted[key]])) {
        const holders = await findIn(manager.getRepository(User), { organizationId }, key, part, ['id', key]);
        for (const holder of holders) owners[key].set(String(holder[key]), holder.id);
      }
    }
    for (const user of users.values()) {
      owners.email.set(user.email, user.id);
      owners.usernameKey.set(user.usernameKey, user.id);
      if (user.employeeIdentifier) owners.employeeIdentifier.set(user.employeeIdentifier, user.id);
    }
    return state;
  }

  private async write(
    manager: EntityManager,
    plan: BatchPlan,
    context: BatchContext,
    actor: string,
  ): Promise<void> {
    await bulkInsert(manager, User, plan.inserts);
    await bulkInsert(
      manager,
      UserLink,
      plan.links.map(({ externalId, userId }) => ({
        connectorId: context.connectorId,
        externalId,
        organizationId: context.organizationId,
        userId,
        createdAt: context.now,
      })),
    );
    for (const [userId, columns] of plan.updates) {
      await manager
        .getRepository(User)
        .update({ id: userId, organizationId: context.organizationId }, columns);
    }
    await bulkInsert(
      manager,
      DirectoryEvent,
      plan.events.map((event) => ({
        id: uuidv7(),
        organizationId: context.organizationId,
        type: event.type,
        occurredAt: context.now,
        actor,
        userId: event.userId,
        connectorId: context.connectorId,
        importJobId: context.importJobId,
        changes: event.changes,
      })),
    );
  }
}

/** A change that asks for a new user (whether the directory already has it is for the planner to tell). */
function isCreate(change: unknown): boolean {
  return (change as { kind?: unknown } | null)?.kind === 'create';
}
