import { callInternal } from '@uif/runtime';
import { IMPORT_HOLDS_PATH, type ImportHoldRecord } from './import-holds.js';
import type { UserBatch, UserBatchResult } from './user-batch.js';
import type {
  LinkedUser,
  LinkedUsersRequest,
  OrganizationView,
  UserMatch,
  UserMatchRequest,
} from './views.js';

export const USER_BATCH_PATH = '/internal/user-batches';
export const USER_MATCHES_PATH = '/internal/user-matches';
export const ORGANIZATIONS_PATH = '/internal/organizations';
export const ACTIVE_LINKED_USERS_PATH = '/internal/active-linked-users';

/** The import service's way into the directory: signed as a service, never through the public API. */
export class DirectoryClient {
  constructor(
    private readonly baseUrl: string,
    private readonly internalSecret: string,
    private readonly service: string,
  ) {}

  private call<T>(path: string, body?: unknown): Promise<T> {
    return callInternal<T>(this.baseUrl, path, { service: this.service, secret: this.internalSecret, body });
  }

  applyUserBatch(batch: UserBatch): Promise<UserBatchResult> {
    return this.call(USER_BATCH_PATH, batch);
  }

  /** For each candidate, the directory user it is: linked to (connector, externalId) first, else by email. */
  async matchUsers(request: UserMatchRequest): Promise<(UserMatch | null)[]> {
    const { matches } = await this.call<{ matches: (UserMatch | null)[] }>(USER_MATCHES_PATH, request);
    return matches;
  }

  /** The connector's ACTIVE users (the brake's base, and who a complete listing must still have). */
  async activeLinkedUsers(request: LinkedUsersRequest): Promise<LinkedUser[]> {
    const { users } = await this.call<{ users: LinkedUser[] }>(ACTIVE_LINKED_USERS_PATH, request);
    return users;
  }

  /** Records in the directory's audit trail that a job was held by the brake, approved or cancelled. */
  async recordImportHold(record: ImportHoldRecord): Promise<void> {
    await this.call(IMPORT_HOLDS_PATH, record);
  }

  organization(organizationId: string): Promise<OrganizationView> {
    return this.call(`${ORGANIZATIONS_PATH}/${encodeURIComponent(organizationId)}`);
  }
}
