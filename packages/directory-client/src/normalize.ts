import { hash } from 'node:crypto';
import type { UserAttributes } from './user-batch.js';

export type AttributeName = keyof UserAttributes;

/** The stored form of an attribute value: emails lowercased, absent or empty optional values null, lists []. */
export function normalizeAttribute(name: AttributeName, value: unknown): unknown {
  if (value === undefined || value === null)
    return name === 'addresses' || name === 'phoneNumbers' ? [] : null;
  if (name === 'email' && typeof value === 'string') return value.trim().toLowerCase();
  // An empty optional value is no value: it must not collide with another empty employee identifier.
  if (value === '' && name !== 'username') return null;
  return value;
}

/**
 * A short digest of some attributes in their stored form. The directory answers a match with the
 * digest of the attributes an import maps, and the import compares it with its own: equal means the
 * user is unchanged and nothing needs writing.
 */
export function attributeFingerprint(
  attributes: Partial<Record<AttributeName, unknown>>,
  names: readonly AttributeName[],
): string {
  return attributeFingerprinter(names)(attributes);
}

/**
 * attributeFingerprint of `names` for user after user (a match answers thousands): the names are
 * put in order once, and each user's values are digested in that order.
 */
export function attributeFingerprinter(
  names: readonly AttributeName[],
): (attributes: Partial<Record<AttributeName, unknown>>) => string {
  const ordered = [...names].sort();
  // One-shot hashing: a Hash object per user cost as much as the digest (100,000 users a re-import).
  return (attributes) =>
    hash(
      'sha256',
      JSON.stringify(ordered.map((name) => normalizeAttribute(name, attributes[name]))),
      'base64url',
    ).slice(0, 22);
}
