import type { ConnectorView } from '@uif/connector-client';
import type { DirectoryClient } from '@uif/directory-client';
import type { Logger } from '@uif/runtime';
import type { ImportJob, ImportJobStatus } from '../import-job/import-job.entity.js';
import type { ResultsLinks } from '../results/results-links.js';
import type { ImportSummary } from './import-summary.js';
import type { Mailer } from './mailer.js';

/**
 * Sends the User Import Complete email when an import ends: always for manual imports, for
 * scheduled ones when their schedule says so; never for a dry run, which changed nothing. A failed
 * send is logged, not fatal.
 */
export class ImportNotifier {
  constructor(
    private readonly directory: DirectoryClient,
    private readonly mailer: Mailer,
    private readonly links: ResultsLinks,
    private readonly log: Logger,
  ) {}

  async jobFinished(job: ImportJob, connector: ConnectorView | null): Promise<void> {
    if (!job.sendEmail || job.dryRun) return;
    try {
      const organization = await this.directory.organization(job.organizationId);
      await this.mailer.sendImportSummary(organization.notificationEmails, this.summary(job, connector));
    } catch (error) {
      this.log.error({ jobId: job.id, err: error }, 'the User Import Complete email could not be sent');
    }
  }

  /** Tells the organization at once that a job's planned suspensions tripped the brake. */
  async brakeTripped(job: ImportJob, connector: ConnectorView): Promise<void> {
    const trip = job.brakeTrip!;
    try {
      const organization = await this.directory.organization(job.organizationId);
      await this.mailer.sendBrakeNotice(organization.notificationEmails, {
        jobId: job.id,
        connectorName: connector.displayLabel,
        trigger: job.trigger,
        plannedSuspensions: trip.plannedSuspensions,
        activeUsers: trip.activeUsers,
        maxSuspensions: trip.maxSuspensions,
        maxSuspensionPercent: trip.maxSuspensionPercent,
      });
    } catch (error) {
      this.log.error({ jobId: job.id, err: error }, 'the import awaiting approval email could not be sent');
    }
  }

  private summary(job: ImportJob, connector: ConnectorView | null): ImportSummary {
    return {
      jobId: job.id,
      connectorName: connector?.displayLabel ?? job.connectorId,
      trigger: job.trigger,
      status: job.status as Exclude<
        ImportJobStatus,
        ImportJobStatus.QUEUED | ImportJobStatus.RUNNING | ImportJobStatus.AWAITING_APPROVAL
      >,
      startedAt: job.startedAt ?? job.createdAt,
      finishedAt: job.finishedAt ?? new Date(),
      counts: job.counts,
      resultsUrl: this.links.url(job),
      error: job.error,
    };
  }
}
