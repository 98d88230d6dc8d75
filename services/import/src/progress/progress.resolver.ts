import { organizationOf } from '@uif/subgraph';
import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { ImportContext } from '../context.js';
import { ImportProgress } from '../import-job/import-progress.js';

type Subscribe<Args> = SubscribeResolverData<unknown, Args, ImportContext>;

@Resolver(() => ImportProgress)
export class ProgressResolver {
  @Subscription(() => ImportProgress, {
    description: 'Progress of one job, from now until it ends (the last event has phase DONE).',
    subscribe: ({ args, context }: Subscribe<{ jobId: string }>) =>
      context.services.progress.jobProgress(organizationOf(context), args.jobId),
  })
  importJobProgress(
    @Root() progress: ImportProgress,
    @Arg('jobId', () => ID) _jobId: string,
  ): ImportProgress {
    return progress;
  }

  @Subscription(() => ImportProgress, {
    description: "Every job of the organization as it starts, advances and ends: the dashboard's feed.",
    subscribe: ({ context }: Subscribe<object>) => context.services.progress.updates(organizationOf(context)),
  })
  importJobUpdates(@Root() progress: ImportProgress): ImportProgress {
    return progress;
  }
}
