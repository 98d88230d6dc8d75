import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the gateway (or a trusted service) puts the signed caller identity in. */
export const IDENTITY_HEADER = 'x-uif-identity';

/** Who is calling: an API key of an organization, or one of our own services. */
export type Identity =
  | { kind: 'member'; organizationId: string; actor: string; apiKeyId: string }
  | { kind: 'service'; service: string };

interface SignedIdentity {
  identity: Identity;
  /** Expiry, in seconds since the epoch: a captured header is useless soon after. */
  exp: number;
}

const DEFAULT_TTL_SECONDS = 60;

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export function signIdentity(identity: Identity, secret: string, ttlSeconds = DEFAULT_TTL_SECONDS): string {
  const body: SignedIdentity = { identity, exp: Math.floor(Date.now() / 1000) + ttlSeconds };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** The identity in a header value, or null when it is missing, forged, malformed or expired. */
export function verifyIdentity(header: string | undefined, secret: string): Identity | null {
  if (!header) return null;
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SignedIdentity;
    if (typeof body.exp !== 'number' || body.exp < Date.now() / 1000) return null;
    return body.identity;
  } catch {
    return null;
  }
}

/**
 * The service name the gateway signs a forwarded public link with (the OAuth callback, a results
 * download): only the internal routes that serve such links accept it, so a path that escaped its
 * route could reach nothing else.
 */
export const PUBLIC_LINK_SERVICE = 'gateway-public-link';

/** Headers for a call from one of our services to another's internal interface. */
export function serviceHeaders(service: string, secret: string): Record<string, string> {
  return { [IDENTITY_HEADER]: signIdentity({ kind: 'service', service }, secret) };
}
