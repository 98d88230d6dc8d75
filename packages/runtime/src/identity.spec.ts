import { describe, expect, it, vi } from 'vitest';
import { signIdentity, verifyIdentity, type Identity } from './identity.js';

const secret = 'a'.repeat(32);
const member: Identity = { kind: 'member', organizationId: 'org-1', actor: 'ci key', apiKeyId: 'k1' };

describe('signed caller identity', () => {
  it('round-trips an identity signed with the shared secret', () => {
    expect(verifyIdentity(signIdentity(member, secret), secret)).toEqual(member);
  });

  it('refuses a header signed with another secret', () => {
    expect(verifyIdentity(signIdentity(member, 'b'.repeat(32)), secret)).toBeNull();
  });

  it('refuses a payload changed after signing', () => {
    const [, signature] = signIdentity(member, secret).split('.');
    const forged = Buffer.from(
      JSON.stringify({ identity: { ...member, organizationId: 'org-2' }, exp: 9e9 }),
    );
    expect(verifyIdentity(`${forged.toString('base64url')}.${signature}`, secret)).toBeNull();
  });

  it('refuses an expired header', () => {
    vi.useFakeTimers();
    try {
      const header = signIdentity(member, secret, 10);
      vi.advanceTimersByTime(11_000);
      expect(verifyIdentity(header, secret)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses missing and malformed headers', () => {
    for (const header of [undefined, '', 'abc', 'a.b.c', '.'])
      expect(verifyIdentity(header, secret)).toBeNull();
  });
});
