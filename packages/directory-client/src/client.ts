import { serviceHeaders } from '@uif/runtime';
import type { UserBatch, UserBatchResult } from './user-batch.js';

export const USER_BATCH_PATH = '/internal/user-batches';

export class DirectoryRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`The directory refused the batch (HTTP ${status}): ${body.slice(0, 500)}`);
    this.name = 'DirectoryRequestError';
  }
}

/** The import service's way into the directory: signed as a service, never through the public API. */
export class DirectoryClient {
  constructor(
    private readonly baseUrl: string,
    private readonly internalSecret: string,
    private readonly service: string,
  ) {}

  async applyUserBatch(batch: UserBatch): Promise<UserBatchResult> {
    const response = await fetch(new URL(USER_BATCH_PATH, this.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...serviceHeaders(this.service, this.internalSecret) },
      body: JSON.stringify(batch),
    });
    const text = await response.text();
    if (!response.ok) throw new DirectoryRequestError(response.status, text);
    return JSON.parse(text) as UserBatchResult;
  }
}
