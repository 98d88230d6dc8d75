import type { ConnectorView } from '@uif/connector-client';
import { databaseUnreachableCode } from '@uif/database';
import { ImportJobStatus, type ImportJob } from '../import-job/import-job.entity.js';
import { ImportPhase } from '../import-job/import-job.types.js';
import { ApplyPhase } from './apply-phase.js';
import { BrakeCheck } from './brake-check.js';
import { FetchPhase } from './fetch-phase.js';
import { GoneUsers } from './gone-users.js';
import { JobFinish } from './job-finish.js';
import { Cancelled, JobProgress } from './job-progress.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';
import { PlanStore } from './plan-store.js';
import { usableConnector } from './usable-connector.js';

/**
 * Runs one import job: FETCHING reads the provider page by page, maps, matches and decides each
 * user, storing final outcomes and planned changes; APPLYING writes the plan through the
 * directory's batch interface; REPORTING closes the job. A resumed job continues where it stopped.
 * Each phase has its own file; this class only puts them in order.
 */
export class ImportPipeline {
  private readonly progress: JobProgress;
  private readonly fetch: FetchPhase;
  private readonly gone: GoneUsers;
  private readonly brake: BrakeCheck;
  private readonly apply: ApplyPhase;
  private readonly finishing: JobFinish;

  constructor(private readonly deps: PipelineDependencies) {
    this.progress = new JobProgress(deps);
    const plans = new PlanStore(deps);
    this.fetch = new FetchPhase(deps, this.progress, plans);
    this.gone = new GoneUsers(deps, plans);
    this.brake = new BrakeCheck(deps);
    this.apply = new ApplyPhase(deps, this.progress, plans);
    this.finishing = new JobFinish(deps, this.progress, plans);
  }

  /** Runs the job if this process may take it; `claimed`: it was stored already taken by this process. */
  async run(jobId: string, claimed = false): Promise<void> {
    const job = await this.claim(jobId, claimed);
    if (!job) return;
    let connector: ConnectorView | null = null;
    try {
      connector = await usableConnector(this.deps.connectors, job);
      if (job.phase === ImportPhase.QUEUED || job.phase === ImportPhase.FETCHING) {
        await this.timed(job, 'read and decided', () => this.plan(job, connector!));
        // The plan stays stored, unapplied, until an admin approves or cancels it.
        if (job.status === ImportJobStatus.AWAITING_APPROVAL) return;
      }
      if (job.phase === ImportPhase.APPLYING) await this.timed(job, 'applied', () => this.apply.run(job));
      await this.finishing.completed(job);
    } catch (error) {
      if (databaseUnreachableCode(error)) {
        // Nothing can be recorded now: the job stays RUNNING, and once its heartbeat is older than
        // the lease a worker resumes it where it stopped.
        this.deps.log.error(
          { jobId, err: error },
          'the import database is unreachable: the job resumes later',
        );
        return;
      }
      if (error instanceof Cancelled) await this.finishing.cancelled(job);
      else await this.finishing.failed(job, error);
    }
    await this.deps.onFinished(job, connector);
  }

  /** Drops the plan of a job cancelled before it was applied: its users are reported skipped. */
  async dropPlan(job: ImportJob): Promise<void> {
    await this.finishing.cancelled(job);
    const connector = await this.deps.connectors
      .connector(job.organizationId, job.connectorId)
      .catch(() => null);
    await this.deps.onFinished(job, connector);
  }

  /** The job, taken by this process and marked started; null when it may not run here. */
  private async claim(jobId: string, claimed: boolean): Promise<ImportJob | null> {
    const job = claimed ? await this.deps.leases.heldHere(jobId) : await this.deps.leases.claim(jobId);
    if (!job) return null;
    job.startedAt ??= new Date();
    await this.progress.save(job);
    return job;
  }

  /**
   * Fetches and decides every user, plans the suspension of those gone, then leaves FETCHING for
   * APPLYING in one save, held at the brake when the plan suspends too many.
   */
  private async plan(job: ImportJob, connector: ConnectorView): Promise<void> {
    const { decided, missing } = await this.fetch.run(job, connector);
    const gone = job.suspendMissingUsers ? await this.gone.plan(job, decided) : 0;
    job.total = job.counts.fetched + missing + gone;
    job.phase = ImportPhase.APPLYING;
    await this.brake.check(job, connector, decided.suspensions);
    await this.progress.save(job);
    if (job.status === ImportJobStatus.AWAITING_APPROVAL) await this.brake.announceHeld(job, connector);
  }

  private async timed(job: ImportJob, what: string, work: () => Promise<void>): Promise<void> {
    const started = performance.now();
    await work();
    const seconds = Math.round(performance.now() - started) / 1000;
    this.deps.log.info({ jobId: job.id, seconds, counts: job.counts }, `import ${what} in ${seconds} s`);
  }
}
