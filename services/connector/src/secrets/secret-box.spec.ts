import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSecretKey, SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealed = box.seal({ token: 'tok-123456' });
    expect(sealed).not.toContain('tok-123456');
    expect(box.open(sealed)).toEqual({ token: 'tok-123456' });
  });

  it('seals the same value differently each time', () => {
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('gives each caller its own copy of a value it opened before', () => {
    const sealed = box.seal({ token: 'tok-123456' });
    const first = box.open<{ token: string }>(sealed);
    first.token = 'changed by a caller';
    expect(box.open(sealed)).toEqual({ token: 'tok-123456' });
  });

  it('refuses a tampered or foreign ciphertext, also after opening the original', () => {
    const sealed = box.seal({ token: 'a' });
    box.open(sealed);
    const tampered = `${sealed.slice(0, -4)}AAAA`;
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('takes keys as hex or base64, and only 32 bytes', () => {
    expect(parseSecretKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseSecretKey(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
