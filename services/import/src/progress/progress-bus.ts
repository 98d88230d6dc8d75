import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Logger } from '@uif/runtime';
import { Redis } from 'ioredis';
import type { ImportJob } from '../import-job/import-job.entity.js';
import { progressOf, type ImportProgress } from '../import-job/import-progress.js';

/** The topic of an organization's import progress (subscribers filter by job). */
export const PROGRESS_TOPIC = 'IMPORT_PROGRESS';

type ProgressTopics = { [PROGRESS_TOPIC]: [organizationId: string, progress: ImportProgress] };

/**
 * Says once that Redis is out of reach and once that it is back (ioredis reconnects by itself and
 * would otherwise print every failed attempt).
 */
function reportOutages(client: Redis, log: Logger): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) log.warn({ err: error }, 'progress events cannot reach Redis: they resume when it is back');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('progress events reach Redis again');
    down = false;
  });
}

/**
 * Import progress events by organization: in this process by default; through Redis when
 * REDIS_URL is set, so a subscriber on one process sees jobs that run on another.
 */
export class ProgressBus {
  private readonly redis: Redis[] = [];
  readonly pubSub;

  constructor(redisUrl: string | undefined, log: Logger) {
    if (redisUrl) {
      const publishClient = new Redis(redisUrl);
      const subscribeClient = new Redis(redisUrl);
      this.redis.push(publishClient, subscribeClient);
      for (const client of this.redis) reportOutages(client, log);
      this.pubSub = createPubSub<ProgressTopics>({
        eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
      });
    } else {
      // Every subscriber of an organization listens on its topic: the ten Node allows before it warns
      // of a leak are a dashboard or two, not a leak.
      const eventTarget = new EventTarget();
      setMaxListeners(0, eventTarget);
      this.pubSub = createPubSub<ProgressTopics>({ eventTarget });
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
