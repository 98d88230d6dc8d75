import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@uif/runtime';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { GatewayContext } from '../context.js';

export interface RateLimit {
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Counts one operation of the key; throws a RATE_LIMITED GraphQLError past its minute's limit. */
  consume(apiKeyId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Operations per API key and minute: HTTP requests and subscriptions alike. With Redis the count is shared by every gateway process (one
 * limit, however many run); while Redis is out of reach each process counts alone meanwhile.
 */
export function rateLimit(perMinute: number, redisUrl: string | undefined, log: Logger): RateLimit {
  const options = { points: perMinute, duration: 60, keyPrefix: 'uif-rate' };
  const inProcess = new RateLimiterMemory(options);
  let redis: Redis | null = null;
  let limiter: RateLimiterAbstract = inProcess;
  if (redisUrl) {
    redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', (error: Error) => log.warn({ err: error }, 'the rate limiter cannot reach Redis'));
    limiter = new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: inProcess });
  }
  return {
    plugin: {
      async requestDidStart() {
        return {
          async didResolveOperation({ contextValue }) {
            const apiKeyId = contextValue.identity?.apiKeyId;
            if (apiKeyId) await consumeOrRefuse(apiKeyId);
          },
        };
      },
    },
    consume: consumeOrRefuse,
    async close() {
      redis?.disconnect();
    },
  };

  async function consumeOrRefuse(apiKeyId: string): Promise<void> {
    try {
      await limiter.consume(apiKeyId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.ceil(rejection.msBeforeNext / 1000);
      throw new GraphQLError(
        `This API key made more than ${perMinute} requests in a minute: try again in ${retryAfterSeconds} s`,
        {
          extensions: {
            code: 'RATE_LIMITED',
            retryAfterSeconds,
            http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
          },
        },
      );
    }
  }
}
