import type { ImportJob } from '../import-job/import-job.entity.js';
import type { PlannedChange } from './import-plan.entity.js';
import { doubtAboutListing, type Decided } from './listing-doubt.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';
import type { PlanStore } from './plan-store.js';

/** The result detail of a user suspended for being missing from a complete listing. */
export const GONE_DETAIL = 'no longer in the application';

/** After the fetch of a job that suspends missing users: plans the suspension of those the listing lacked. */
export class GoneUsers {
  constructor(
    private readonly deps: Pick<PipelineDependencies, 'activeLinkedUsers'>,
    private readonly plans: Pick<PlanStore, 'store'>,
  ) {}

  /**
   * Plans the suspension of the connector's active users that the listing no longer has, when the
   * listing was surely complete; otherwise says in the warnings why nobody was. Answers how many.
   */
  async plan(job: ImportJob, decided: Decided): Promise<number> {
    const doubt = doubtAboutListing(job, decided);
    if (doubt) {
      job.warnings = [...job.warnings, `Nobody was suspended for being missing: ${doubt}`];
      return 0;
    }
    const linked = await this.deps.activeLinkedUsers({
      organizationId: job.organizationId,
      connectorId: job.connectorId,
    });
    const plans = linked
      .filter((user) => !decided.listed.has(user.externalId))
      .map((user, index): PlannedChange => ({
        seq: decided.seq + index,
        externalId: user.externalId,
        email: null,
        username: null,
        action: 'suspend',
        userId: user.userId,
        attributes: null,
        detail: GONE_DETAIL,
      }));
    await this.plans.store(job, plans);
    decided.seq += plans.length;
    decided.suspensions += plans.length;
    return plans.length;
  }
}
