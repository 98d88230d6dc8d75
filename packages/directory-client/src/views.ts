import { z } from 'zod';
import { userAttributesSchema } from './user-batch.js';

export const userMatchRequestSchema = z.object({
  organizationId: z.string().min(1),
  connectorId: z.string().min(1).max(64),
  /**
   * Every mapped provider user, failed ones too (a result names the directory user it is): an id or
   * email longer than the directory stores matches nobody, it must not refuse the whole group (one
   * 300-character email failed an import).
   */
  candidates: z.array(z.object({ externalId: z.string().min(1), email: z.string().nullable() })).max(10_000),
  /** Attributes to answer a fingerprint of, for each matched user (see attributeFingerprint). */
  fingerprintOf: z.array(userAttributesSchema.keyof()).max(32).optional(),
});
export type UserMatchRequest = z.infer<typeof userMatchRequestSchema>;

export const linkedUsersRequestSchema = z.object({
  organizationId: z.string().min(1),
  connectorId: z.string().min(1).max(64),
});
export type LinkedUsersRequest = z.infer<typeof linkedUsersRequestSchema>;

/** An ACTIVE directory user linked to a connector, by the provider's id for it. */
export interface LinkedUser {
  externalId: string;
  userId: string;
}

export interface UserMatch {
  userId: string;
  state: 'ACTIVE' | 'SUSPENDED' | 'STAGED';
  /** How the user was found: by the connector's link, or by email (then the import links it). */
  matchedBy: 'link' | 'email';
  /** The fingerprint of the attributes named in fingerprintOf, when asked for. */
  fingerprint?: string;
}

/** What another service may know of an organization. */
export interface OrganizationView {
  id: string;
  name: string;
  notificationEmails: string[];
  userLicenseLimit: number | null;
}
