import type { ConnectorClient } from '@uif/connector-client';
import { DomainError, parseInput, type Logger } from '@uif/runtime';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ImportOperation, ImportTrigger } from '../import-job/import-job.entity.js';
import { InvalidImportInputError } from '../import-job/import-job.errors.js';
import { checkOperations, type ImportJobService } from '../import-job/import-job.service.js';
import { ImportSchedule } from './import-schedule.entity.js';
import { nextRunAfter, pickMinuteOfHour } from './schedule-time.js';

const scheduleSchema = z
  .object({
    connectorId: z.string().min(1).max(64),
    enabled: z.boolean().nullish(),
    allowUserReactivation: z.boolean().nullish(),
    operations: z.object({ userCreate: z.boolean(), userUpdate: z.boolean() }),
    query: z.string().trim().max(2048).nullish(),
    sendEmail: z.boolean().nullish(),
    suspendMissingUsers: z.boolean().nullish(),
  })
  .refine((input) => input.operations.userCreate || input.operations.userUpdate, {
    message: 'must turn on userCreate, userUpdate or both',
    path: ['operations'],
  })
  .refine((input) => !input.suspendMissingUsers || input.operations.userUpdate, {
    message: 'goes only with operations.userUpdate: suspending is an update',
    path: ['suspendMissingUsers'],
  });

/** The actor recorded for scheduled imports. */
export const SCHEDULER_ACTOR = 'scheduler';

export class ImportScheduleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connectors: ConnectorClient,
    private readonly jobs: ImportJobService,
    private readonly log: Logger,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(ImportSchedule);
  }

  get(organizationId: string, connectorId: string): Promise<ImportSchedule | null> {
    return this.repository.findOneBy({ organizationId, connectorId });
  }

  /** Creates or changes a connector's schedule; the minute of the hour stays what it was first. */
  async set(organizationId: string, input: unknown, now = new Date()): Promise<ImportSchedule> {
    const parsed = parseInput(scheduleSchema, input, InvalidImportInputError);
    const { connectorId, operations, query } = parsed;
    const connector = await this.connectors.connector(organizationId, connectorId);
    checkOperations(connector, operations.userUpdate, 'input.operations.userUpdate');
    const existing = await this.get(organizationId, connectorId);
    const schedule = existing ?? this.newSchedule(organizationId, connectorId, now);
    Object.assign(schedule, {
      enabled: parsed.enabled ?? true,
      allowUserReactivation: parsed.allowUserReactivation ?? false,
      operations,
      query: query || null,
      sendEmail: parsed.sendEmail ?? false,
      suspendMissingUsers: parsed.suspendMissingUsers ?? false,
      updatedAt: now,
    });
    schedule.nextRunAt = schedule.enabled ? nextRunAfter(now, schedule.minuteOfHour) : null;
    return this.repository.save(schedule);
  }

  /** Activation's default: hourly, new users and updates, no reactivation, no email; kept if one exists. */
  async ensureDefault(organizationId: string, connectorId: string, now = new Date()): Promise<void> {
    if (await this.get(organizationId, connectorId)) return;
    const schedule = this.newSchedule(organizationId, connectorId, now);
    schedule.nextRunAt = nextRunAfter(now, schedule.minuteOfHour);
    await this.repository.insert(schedule);
  }

  async delete(organizationId: string, connectorId: string): Promise<boolean> {
    const { affected } = await this.repository.delete({ organizationId, connectorId });
    return Boolean(affected);
  }

  /**
   * Runs every schedule whose time has come, once: a tick is claimed by moving nextRunAt on with a
   * conditional update, so processes sharing the database never run it twice, and ticks missed
   * while nothing ran become a single run. A connector whose previous run still goes is skipped,
   * and the skip is recorded.
   */
  async tick(now = new Date()): Promise<void> {
    const due = await this.repository
      .createQueryBuilder('schedule')
      .where('schedule.enabled = :enabled', { enabled: true })
      .andWhere('schedule.nextRunAt <= :now', { now })
      .getMany();
    for (const schedule of due) {
      const claimed = await this.repository.update(
        { connectorId: schedule.connectorId, nextRunAt: schedule.nextRunAt! },
        { nextRunAt: nextRunAfter(now, schedule.minuteOfHour) },
      );
      if (claimed.affected) await this.run(schedule, now);
    }
  }

  private async run(schedule: ImportSchedule, now: Date): Promise<void> {
    const { connectorId, organizationId } = schedule;
    if (await this.jobs.running(connectorId)) {
      await this.repository.update(
        { connectorId },
        { skippedRuns: () => 'skippedRuns + 1', lastSkippedAt: now },
      );
      this.log.info({ connectorId }, 'scheduled import skipped: the previous run is still going');
      return;
    }
    const operations = [
      ...(schedule.operations.userCreate ? [ImportOperation.USER_CREATE] : []),
      ...(schedule.operations.userUpdate ? [ImportOperation.USER_UPDATE] : []),
    ];
    try {
      const job = await this.jobs.start(
        {
          organizationId,
          actor: SCHEDULER_ACTOR,
          trigger: ImportTrigger.SCHEDULED,
          sendEmail: schedule.sendEmail,
        },
        {
          connectorId,
          operations,
          allowUserReactivation: schedule.allowUserReactivation,
          query: schedule.query,
          suspendMissingUsers: schedule.suspendMissingUsers,
        },
      );
      await this.repository.update({ connectorId }, { lastJobId: job.id });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.log.warn({ connectorId, reason: error.message }, 'scheduled import not started');
    }
  }

  private newSchedule(organizationId: string, connectorId: string, now: Date): ImportSchedule {
    return this.repository.create({
      connectorId,
      organizationId,
      enabled: true,
      allowUserReactivation: false,
      operations: { userCreate: true, userUpdate: true },
      query: null,
      sendEmail: false,
      suspendMissingUsers: false,
      minuteOfHour: pickMinuteOfHour(),
      nextRunAt: null,
      lastJobId: null,
      skippedRuns: 0,
      lastSkippedAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }
}
