import { signIdentity } from '@uif/runtime';
import { describe, expect, it } from 'vitest';
import { RESULTS_LINK_TTL_MS, signResultsToken, verifyResultsToken } from './download-link.js';

const secret = 's'.repeat(32);
const now = new Date('2026-11-23T14:05:09Z');
const claims = { jobId: 'job-1', organizationId: 'org-1' };
const expiresAt = new Date(now.getTime() + RESULTS_LINK_TTL_MS);

const token = (): string => signResultsToken({ ...claims, expiresAt }, secret);

describe('results download tokens', () => {
  it('lasts seven days', () => {
    expect(RESULTS_LINK_TTL_MS).toBe(604_800_000);
  });

  it('round-trips the job and organization', () => {
    expect(verifyResultsToken(token(), secret, now)).toEqual(claims);
  });

  it('is safe to put in a URL as it is', () => {
    expect(token()).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('works until just before it expires, not after', () => {
    expect(verifyResultsToken(token(), secret, new Date(expiresAt.getTime() - 1))).toEqual(claims);
    expect(verifyResultsToken(token(), secret, expiresAt)).toBeNull();
    expect(verifyResultsToken(token(), secret, new Date(expiresAt.getTime() + 1))).toBeNull();
  });

  it('uses the current time by default', () => {
    const expired = signResultsToken({ ...claims, expiresAt: new Date(Date.now() - 1000) }, secret);
    const fresh = signResultsToken({ ...claims, expiresAt: new Date(Date.now() + 60_000) }, secret);
    expect(verifyResultsToken(expired, secret)).toBeNull();
    expect(verifyResultsToken(fresh, secret)).toEqual(claims);
  });

  it('refuses a token signed with another secret', () => {
    const other = signResultsToken({ ...claims, expiresAt }, 'o'.repeat(32));
    expect(verifyResultsToken(other, secret, now)).toBeNull();
  });

  it('refuses claims changed after signing', () => {
    const [, signature] = token().split('.');
    for (const forged of [
      { ...claims, organizationId: 'org-2', exp: expiresAt.getTime() },
      { ...claims, jobId: 'job-2', exp: expiresAt.getTime() },
      { ...claims, exp: expiresAt.getTime() + RESULTS_LINK_TTL_MS },
    ]) {
      const payload = Buffer.from(JSON.stringify(forged)).toString('base64url');
      expect(verifyResultsToken(`${payload}.${signature}`, secret, now)).toBeNull();
    }
  });

  it('refuses every single-character change to the token', () => {
    const original = token();
    for (let index = 0; index < original.length; index += 1) {
      const replacement = original[index] === 'A' ? 'B' : 'A';
      const tampered = original.slice(0, index) + replacement + original.slice(index + 1);
      expect(verifyResultsToken(tampered, secret, now)).toBeNull();
    }
  });

  it('refuses malformed tokens', () => {
    const [payload = '', signature = ''] = token().split('.');
    const unsignedJunk = Buffer.from('not json').toString('base64url');
    for (const malformed of [
      '',
      '.',
      'abc',
      `${payload}.`,
      `.${signature}`,
      `${payload}.${signature}.extra`,
      `${payload}.${signature}=`,
      `${unsignedJunk}.${signature}`,
    ])
      expect(verifyResultsToken(malformed, secret, now)).toBeNull();
  });

  it('refuses another kind of token signed with the same secret', () => {
    const identity = signIdentity({ kind: 'service', service: 'import' }, secret);
    expect(verifyResultsToken(identity, secret, now)).toBeNull();
  });

  it('refuses to sign or verify without a secret, or with an invalid expiry', () => {
    expect(() => signResultsToken({ ...claims, expiresAt }, '')).toThrow(/secret/);
    expect(() => verifyResultsToken(token(), '')).toThrow(/secret/);
    expect(() => signResultsToken({ ...claims, expiresAt: new Date(Number.NaN) }, secret)).toThrow(
      /expiresAt/,
    );
  });
});
