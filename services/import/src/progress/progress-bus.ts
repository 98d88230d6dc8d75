import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import type { ImportJob } from '../import-job/import-job.entity.js';
import { progressOf, type ImportProgress } from '../import-job/import-progress.js';

/** The topic of an organization's import progress (subscribers filter by job). */
export const PROGRESS_TOPIC = 'IMPORT_PROGRESS';

type ProgressTopics = { [PROGRESS_TOPIC]: [organizationId: string, progress: ImportProgress] };

/**
 * Import progress events by organization: in this process by default; through Redis when
 * REDIS_URL is set, so a subscriber on one process sees jobs that run on another.
 */
export class ProgressBus {
  private readonly redis: Redis[] = [];
  readonly pubSub;

  constructor(redisUrl?: string) {
    if (redisUrl) {
      const publishClient = new Redis(redisUrl);
      const subscribeClient = new Redis(redisUrl);
      this.redis.push(publishClient, subscribeClient);
      this.pubSub = createPubSub<ProgressTopics>({
        eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
      });
    } else {
      this.pubSub = createPubSub<ProgressTopics>();
    }
  }

  publish(job: ImportJob): void {
    this.pubSub.publish(PROGRESS_TOPIC, job.organizationId, progressOf(job));
  }

  subscribe(organizationId: string): AsyncIterable<ImportProgress> {
    return this.pubSub.subscribe(PROGRESS_TOPIC, organizationId);
  }

  close(): void {
    for (const client of this.redis) client.disconnect();
  }
}
