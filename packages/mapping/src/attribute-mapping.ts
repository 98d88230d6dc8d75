import type { UserAttributes } from '@uif/directory-client';
import type { UserAttribute } from './attributes.js';

export interface AttributeMapping {
  /** `transform`: a JSONata expression over the value at sourcePath (see transform.ts). */
  entries: { target: UserAttribute; sourcePath: string; transform?: string | null }[];
  externalIdPath: string;
  statusPath: string | null;
  /** A JSONata expression over the value at statusPath. */
  statusTransform?: string | null;
  inactiveStatuses: string[];
  activeStatuses: string[];
}

/** active: may be created or reactivated; inactive: suspended; unknown: neither list names it. */
export type StatusClass = 'active' | 'inactive' | 'unknown';

export interface MappedUser {
  externalId: string | null;
  attributes: Partial<UserAttributes>;
  status: string | null;
  statusClass: StatusClass;
  /** Why this user cannot be imported; empty when it can. */
  errors: string[];
}

/** The longest provider id the directory links (and results record). */
export const MAX_EXTERNAL_ID = 255;
