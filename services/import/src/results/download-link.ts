import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a results download link works after it is made. */
export const RESULTS_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface ResultsTokenClaims {
  jobId: string;
  organizationId: string;
}

interface SignedClaims {
  jobId: string;
  organizationId: string;
  /** Expiry in milliseconds since the epoch. */
  exp: number;
}

/**
 * Mixed into every MAC so that a results token is never accepted as any other token signed with the
 * same secret (such as the gateway's identity header), nor the other way round.
 */
const PURPOSE = 'uif.results-link.v1';

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${PURPOSE}.${payload}`).digest();
}

function requireSecret(secret: string): void {
  if (!secret) throw new Error('A secret is required to sign or verify results links');
}

/** A URL-safe token that lets its holder download one job's results until `expiresAt`. */
export function signResultsToken(
  { jobId, organizationId, expiresAt }: ResultsTokenClaims & { expiresAt: Date },
  secret: string,
): string {
  requireSecret(secret);
  const exp = expiresAt.getTime();
  if (!Number.isFinite(exp)) throw new Error('expiresAt must be a valid date');
  const claims: SignedClaims = { jobId, organizationId, exp };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** The job and organization a token names, or null when it is forged, malformed or expired. */
export function verifyResultsToken(
  token: string,
  secret: string,
  now = new Date(),
): ResultsTokenClaims | null {
  requireSecret(secret);
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  if (!hasValidSignature(payload, signature, secret)) return null;
  const claims = parseClaims(payload);
  if (!claims || claims.exp <= now.getTime()) return null;
  return { jobId: claims.jobId, organizationId: claims.organizationId };
}

/**
 * Compares the encoded text, not decoded bytes: base64url decoding ignores stray characters and the
 * spare bits of the last one, so several strings decode to the same MAC and only one is ours.
 */
function hasValidSignature(payload: string, signature: string, secret: string): boolean {
  const expected = Buffer.from(mac(payload, secret).toString('base64url'));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseClaims(payload: string): SignedClaims | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isSignedClaims(value) ? value : null;
  } catch {
    return null;
  }
}

function isSignedClaims(value: unknown): value is SignedClaims {
  if (typeof value !== 'object' || value === null) return false;
  const { jobId, organizationId, exp } = value as Record<string, unknown>;
  return typeof jobId === 'string' && typeof organizationId === 'string' && typeof exp === 'number';
}
