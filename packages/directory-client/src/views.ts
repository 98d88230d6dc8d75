import { z } from 'zod';

export const userMatchRequestSchema = z.object({
  organizationId: z.string().min(1),
  connectorId: z.string().min(1).max(64),
  candidates: z
    .array(z.object({ externalId: z.string().min(1).max(255), email: z.string().max(255).nullable() }))
    .max(10_000),
});
export type UserMatchRequest = z.infer<typeof userMatchRequestSchema>;

export interface UserMatch {
  userId: string;
  state: 'ACTIVE' | 'SUSPENDED' | 'STAGED';
  /** How the user was found: by the connector's link, or by email (then the import links it). */
  matchedBy: 'link' | 'email';
}

/** What another service may know of an organization. */
export interface OrganizationView {
  id: string;
  name: string;
  notificationEmails: string[];
  userLicenseLimit: number | null;
}
