import { z } from 'zod';

/** Largest batch the directory applies in one transaction. */
export const MAX_BATCH_CHANGES = 10_000;

const optionalText = (max: number) => z.string().max(max).nullable().optional();

export const addressSchema = z.object({
  type: z.enum(['work', 'home']),
  streetAddress: optionalText(1024),
  extendedAddress: optionalText(1024),
  poBox: optionalText(255),
  locality: optionalText(255),
  region: optionalText(255),
  postalCode: optionalText(64),
  country: optionalText(255),
});

export const phoneNumberSchema = z.object({
  type: z.enum(['work', 'home', 'mobile']),
  number: z.string().min(1).max(64),
});

/** The directory attributes an import may set: the contract's User fields less identity and state. */
export const userAttributesSchema = z.object({
  email: z.email({ message: 'is not a valid email address' }).max(255),
  username: z.string().min(1, 'must not be empty').max(255).regex(/^\S+$/, 'must not contain whitespace'),
  firstname: optionalText(255),
  lastname: optionalText(255),
  middlename: optionalText(255),
  displayname: optionalText(255),
  jobTitle: optionalText(255),
  department: optionalText(255),
  costCenter: optionalText(255),
  employeeType: optionalText(255),
  employeeIdentifier: optionalText(255),
  organization: optionalText(255),
  addresses: z.array(addressSchema).max(10).optional(),
  phoneNumbers: z.array(phoneNumberSchema).max(10).optional(),
});

export type UserAttributes = z.infer<typeof userAttributesSchema>;
export type Address = z.infer<typeof addressSchema>;
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;

const externalId = z.string().min(1).max(255);
const userId = z.string().min(1).max(64).optional();

/**
 * One change to one provider user. `userId` names the directory user the importer matched (by email);
 * without it the directory finds the user by the (connector, externalId) link.
 */
export const userChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create'), externalId, attributes: userAttributesSchema }),
  z.object({ kind: z.literal('update'), externalId, userId, attributes: userAttributesSchema.partial() }),
  z.object({ kind: z.literal('suspend'), externalId, userId }),
  z.object({ kind: z.literal('reactivate'), externalId, userId }),
]);
export type UserChange = z.infer<typeof userChangeSchema>;

/** The envelope is checked whole; each change is checked on its own so one bad user fails alone. */
export const userBatchSchema = z.object({
  organizationId: z.string().min(1),
  connectorId: z.string().min(1).max(64),
  importJobId: z.string().min(1).max(64).optional(),
  actor: z.string().min(1).max(255),
  changes: z.array(z.unknown()).max(MAX_BATCH_CHANGES),
  /** Answer as if applied, and write nothing (an import's dry run). */
  dryRun: z.boolean().optional(),
});
export type UserBatch = Omit<z.infer<typeof userBatchSchema>, 'changes'> & { changes: UserChange[] };

export type ChangeOutcome =
  'created' | 'updated' | 'unchanged' | 'suspended' | 'reactivated' | 'conflict' | 'invalid';

export type ConflictCode =
  | 'DUPLICATE_EMAIL'
  | 'DUPLICATE_USERNAME'
  | 'DUPLICATE_EMPLOYEE_IDENTIFIER'
  | 'LICENSE_LIMIT'
  | 'USER_NOT_FOUND';

export type AttributeChanges = Record<string, { from: unknown; to: unknown }>;

export interface ChangeResult {
  externalId: string | null;
  outcome: ChangeOutcome;
  userId?: string;
  /** Conflicts only: what collided. */
  code?: ConflictCode;
  /** Conflicts and invalid changes: why, in words for the admin. */
  reason?: string;
  /** Updates: the attributes that changed. */
  changes?: AttributeChanges;
}

export interface UserBatchResult {
  results: ChangeResult[];
}
