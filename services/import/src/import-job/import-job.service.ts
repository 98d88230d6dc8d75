import type { ConnectorClient, ConnectorView } from '@uif/connector-client';
import { parseInput } from '@uif/runtime';
import { checkPageSize } from '@uif/subgraph';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { WORKER_ID } from './job-lease.js';
import {
  FINISHED_STATUSES,
  ImportJob,
  ImportJobStatus,
  ImportOperation,
  type ImportTrigger,
} from './import-job.entity.js';
import { ImportJobNotFoundError, ImportStateError, InvalidImportInputError } from './import-job.errors.js';
import { emptyCounts, ImportPhase } from './import-job.types.js';
import { recordImportJobEnded } from '../metrics/import-metrics.js';

const startSchema = z
  .object({
    connectorId: z.string().min(1).max(64),
    operations: z
      .array(z.enum(ImportOperation))
      .min(1, 'must name at least one operation')
      .refine((ops) => new Set(ops).size === ops.length, 'must not repeat an operation'),
    allowUserReactivation: z.boolean().nullish(),
    query: z.string().trim().max(2048).nullish(),
    selectedExternalIds: z
      .array(z.string().min(1).max(255))
      .min(1, 'must name at least one user')
      .max(10_000)
      .nullish(),
    dryRun: z.boolean().nullish(),
    suspendMissingUsers: z.boolean().nullish(),
  })
  .superRefine((input, context) => {
    const createOnly = input.operations.length === 1 && input.operations[0] === ImportOperation.USER_CREATE;
    if (input.suspendMissingUsers && !input.operations.includes(ImportOperation.USER_UPDATE)) {
      context.addIssue({
        code: 'custom',
        path: ['suspendMissingUsers'],
        message: 'goes only with USER_UPDATE among the operations: suspending is an update',
      });
    }
    if (input.selectedExternalIds && !createOnly) {
      context.addIssue({
        code: 'custom',
        path: ['selectedExternalIds'],
        message:
          'go only with operations [USER_CREATE]: selected users are new users, updates are not supported',
      });
    }
  });

/** How long a plan stopped by the brake may be approved: later, the provider may have moved on. */
const PLAN_APPROVAL_WINDOW_MS = 24 * 3_600_000;

/** A selection smaller than this is imported before startImport answers; a larger one in the background. */
export const SYNCHRONOUS_SELECTION_LIMIT = 100;

/** SCIM connectors import new users only (their application keeps the users it already had). */
export function checkOperations(connector: ConnectorView, updates: boolean, field: string): void {
  if (connector.kind === 'SCIM' && updates) {
    throw new InvalidImportInputError(
      `${field} may not update users: ${connector.displayLabel} is a SCIM connector, and SCIM connectors import new users only`,
      [field],
    );
  }
}

export interface StartRequest {
  organizationId: string;
  actor: string;
  trigger: ImportTrigger;
  sendEmail: boolean;
}

/** Where a stored job goes to wait for a worker. */
export interface JobWaitingRoom {
  enqueue(jobId: string): Promise<void>;
}

export class ImportJobService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connectors: ConnectorClient,
    private readonly queue: JobWaitingRoom,
    /** Runs a job stored as claimed by this process, with its heartbeat, until it ends. */
    private readonly runNow: (jobId: string) => Promise<void>,
    /** Ends a cancelled job whose plan was decided but not applied, reporting its users skipped. */
    private readonly dropPlan: (job: ImportJob) => Promise<void>,
    /** Records who approved or cancelled the plan of a job the brake held. */
    private readonly onHoldDecided: (
      job: ImportJob,
      decision: 'APPROVED' | 'CANCELLED',
      actor: string,
    ) => Promise<void>,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(ImportJob);
  }

  /**
   * Checks the request and the connector and stores the job QUEUED for a worker. A selection of
   * fewer than SYNCHRONOUS_SELECTION_LIMIT users is stored RUNNING under this process instead, runs
   * here and comes back finished.
   */
  async start(request: StartRequest, input: unknown): Promise<ImportJob> {
    const parsed = parseInput(startSchema, input, InvalidImportInputError);
    const { connectorId, operations, allowUserReactivation, query, selectedExternalIds } = parsed;
    const connector = await this.connectors.connector(request.organizationId, connectorId);
    if (connector.state !== 'ACTIVE') {
      throw new ImportStateError(
        `Connector ${connector.displayLabel} is ${connector.state.toLowerCase()}: activate it first`,
      );
    }
    if (!connector.authorized) {
      throw new ImportStateError(
        `Connector ${connector.displayLabel} needs its OAuth 2.0 authorization completed first`,
      );
    }
    checkOperations(connector, operations.includes(ImportOperation.USER_UPDATE), 'input.operations');
    // A small selection runs here and now: stored already claimed by this process, so no other
    // process's sweep for queued jobs can take it first.
    const runsHere = !!selectedExternalIds && selectedExternalIds.length < SYNCHRONOUS_SELECTION_LIMIT;
    const now = new Date();
    const job = this.repository.create({
      id: uuidv7(),
      organizationId: request.organizationId,
      connectorId,
      trigger: request.trigger,
      operations,
      allowUserReactivation: allowUserReactivation ?? false,
      query: query || null,
      selectedExternalIds: selectedExternalIds ?? null,
      dryRun: parsed.dryRun ?? false,
      suspendMissingUsers: parsed.suspendMissingUsers ?? false,
      // The results of a SCIM import are always emailed.
      sendEmail: request.sendEmail || connector.kind === 'SCIM',
      status: runsHere ? ImportJobStatus.RUNNING : ImportJobStatus.QUEUED,
      phase: ImportPhase.QUEUED,
      startedBy: request.actor,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      total: null,
      processed: 0,
      counts: emptyCounts(),
      warnings: [],
      error: null,
      cancelRequestedAt: null,
      heartbeatAt: runsHere ? now : null,
      workerId: runsHere ? WORKER_ID : null,
    });
    await this.repository.insert(job);
    if (runsHere) {
      await this.runNow(job.id);
      return this.get(request.organizationId, job.id);
    }
    await this.queue.enqueue(job.id);
    return job;
  }

  async get(organizationId: string, id: string): Promise<ImportJob> {
    const job = await this.repository.findOneBy({ organizationId, id });
    if (!job) throw new ImportJobNotFoundError(id);
    return job;
  }

  /** Newest first. */
  list(organizationId: string, connectorId: string | undefined, first: number): Promise<ImportJob[]> {
    checkPageSize(first);
    return this.repository.find({
      where: { organizationId, ...(connectorId ? { connectorId } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: first,
    });
  }

  /**
   * A queued job, or one awaiting approval, is cancelled at once (a plan it holds is dropped, changing
   * nothing); a running one stops between batches, keeping what it applied.
   */
  async cancel(organizationId: string, id: string, actor: string): Promise<ImportJob> {
    const job = await this.get(organizationId, id);
    if (FINISHED_STATUSES.includes(job.status)) {
      throw new ImportStateError(`Import job ${id} has already finished (${job.status.toLowerCase()})`);
    }
    const now = new Date();
    const { affected } = await this.repository.update(
      [
        { id, status: ImportJobStatus.QUEUED },
        { id, status: ImportJobStatus.AWAITING_APPROVAL },
      ],
      { status: ImportJobStatus.CANCELLED, phase: ImportPhase.DONE, finishedAt: now, cancelRequestedAt: now },
    );
    if (!affected) await this.repository.update({ id }, { cancelRequestedAt: now });
    else {
      recordImportJobEnded({ ...job, status: ImportJobStatus.CANCELLED, finishedAt: now });
      if (job.status === ImportJobStatus.AWAITING_APPROVAL) await this.onHoldDecided(job, 'CANCELLED', actor);
      // A job that decided its plan (awaiting approval, or approved and queued) reports its users skipped.
      if (job.phase === ImportPhase.APPLYING) await this.dropPlan(await this.get(organizationId, id));
    }
    return this.get(organizationId, id);
  }

  /**
   * Applies the plan of a job awaiting approval exactly as it was decided: the job is queued again
   * and goes on from its stored plan, without reading the provider again.
   */
  async approve(organizationId: string, id: string, actor: string, now = new Date()): Promise<ImportJob> {
    const job = await this.get(organizationId, id);
    if (job.status !== ImportJobStatus.AWAITING_APPROVAL) {
      throw new ImportStateError(
        `Import job ${id} is not awaiting approval (it is ${job.status.toLowerCase()}${job.approvedBy ? `, approved by ${job.approvedBy}` : ''})`,
      );
    }
    const ageMs = now.getTime() - job.brakeTrip!.at.getTime();
    if (ageMs > PLAN_APPROVAL_WINDOW_MS) {
      throw new ImportStateError(
        `The plan of import job ${id} was decided ${Math.floor(ageMs / 3_600_000)} hours ago, and a plan ` +
          'can be approved for 24 hours only: cancel it and run the import again',
      );
    }
    const { affected } = await this.repository.update(
      { id, status: ImportJobStatus.AWAITING_APPROVAL },
      { status: ImportJobStatus.QUEUED, approvedBy: actor },
    );
    if (!affected) throw new ImportStateError(`Import job ${id} is not awaiting approval any more`);
    await this.queue.enqueue(id);
    const approved = await this.get(organizationId, id);
    // Recorded once the job is queued and read: the record's round trip must not hold either.
    await this.onHoldDecided(job, 'APPROVED', actor);
    return approved;
  }

  /** The connector's job awaiting approval, if one does (its schedule is paused meanwhile). */
  awaitingApproval(organizationId: string, connectorId: string): Promise<ImportJob | null> {
    return this.repository.findOne({
      where: { organizationId, connectorId, status: ImportJobStatus.AWAITING_APPROVAL },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * Whether a job of the connector is queued or running (a scheduled tick does not start another).
   * A dry run does not count: it changes nothing a scheduled run could collide with. A job awaiting
   * approval does: the connector's schedule waits for the admin's answer.
   */
  async running(connectorId: string): Promise<boolean> {
    return this.repository.exists({
      where: [
        { connectorId, dryRun: false, status: ImportJobStatus.QUEUED },
        { connectorId, dryRun: false, status: ImportJobStatus.RUNNING },
        { connectorId, status: ImportJobStatus.AWAITING_APPROVAL },
      ],
    });
  }
}
