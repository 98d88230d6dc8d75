import type { DirectoryClient, ImportHoldKind } from '@uif/directory-client';
import type { Logger } from '@uif/runtime';
import type { ImportJob } from '../import-job/import-job.entity.js';

/**
 * Tells the directory's audit trail who started a job the brake held, and who approved or cancelled
 * its plan, and when. The job row stays the truth of what happens next: a directory out of reach
 * costs the record, logged with the job, never the decision.
 */
export class BrakeHolds {
  constructor(
    private readonly directory: Pick<DirectoryClient, 'recordImportHold'>,
    private readonly log: Logger,
  ) {}

  async record(job: ImportJob, kind: ImportHoldKind, actor: string, occurredAt = new Date()): Promise<void> {
    const trip = job.brakeTrip;
    if (!trip) return;
    try {
      await this.directory.recordImportHold({
        organizationId: job.organizationId,
        connectorId: job.connectorId,
        importJobId: job.id,
        kind,
        actor,
        occurredAt,
        plannedSuspensions: trip.plannedSuspensions,
        activeUsers: trip.activeUsers,
      });
    } catch (error) {
      this.log.error({ jobId: job.id, kind, err: error }, 'the directory did not record the held import');
    }
  }
}
