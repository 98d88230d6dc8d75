import type { ConnectorView } from '@uif/connector-client';
import { ImportJobStatus, type ImportJob } from '../import-job/import-job.entity.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';

/** Between planning and applying: a plan that suspends too many users waits for an admin's approval. */
export class BrakeCheck {
  constructor(private readonly deps: Pick<PipelineDependencies, 'brakes' | 'log' | 'onBrakeTripped'>) {}

  /** Records whether the plan's suspensions trip the connector's brake, holding the job if they do. */
  async check(job: ImportJob, connector: Pick<ConnectorView, 'kind'>, suspensions: number): Promise<void> {
    // SCIM connectors import new users only: nothing of theirs is ever suspended.
    if (connector.kind !== 'SCIM') {
      job.brakeTrip = await this.deps.brakes.check(job.organizationId, job.connectorId, suspensions);
    }
    // A dry run reports that the brake would trip, and goes on to answer what would happen.
    if (job.brakeTrip && !job.dryRun) job.status = ImportJobStatus.AWAITING_APPROVAL;
  }

  /** Says that a held job awaits approval: in the log, and to the admins (the email). */
  async announceHeld(job: ImportJob, connector: ConnectorView): Promise<void> {
    this.deps.log.warn(
      { jobId: job.id, brakeTrip: job.brakeTrip },
      'the planned suspensions tripped the brake: the import awaits approval',
    );
    await this.deps.onBrakeTripped(job, connector);
  }
}
