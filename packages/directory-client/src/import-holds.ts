import { z } from 'zod';

/**
 * POST ImportHoldRecord, signed as a service: the import service's record, in the directory's audit
 * trail, of a job its connector's brake held, and of the admin who then approved or cancelled its
 * plan. Idempotent: a record the directory holds already (same job and kind) is kept as it is.
 */
export const IMPORT_HOLDS_PATH = '/internal/import-holds';

export const importHoldKinds = ['HELD_BY_BRAKE', 'APPROVED', 'CANCELLED'] as const;
export type ImportHoldKind = (typeof importHoldKinds)[number];

export const importHoldRecordSchema = z.object({
  organizationId: z.string().min(1).max(64),
  connectorId: z.string().min(1).max(64),
  importJobId: z.string().min(1).max(64),
  kind: z.enum(importHoldKinds),
  /** Who: the API key label (or the scheduler) that started the job, or that approved or cancelled it. */
  actor: z.string().min(1).max(255),
  occurredAt: z.coerce.date(),
  plannedSuspensions: z.number().int().min(0),
  activeUsers: z.number().int().min(0),
});
export type ImportHoldRecord = z.input<typeof importHoldRecordSchema>;
