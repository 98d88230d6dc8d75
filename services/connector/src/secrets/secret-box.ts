import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * Opened secrets kept in memory, by their sealed text: a listing reads the same few secrets for
 * every page (the auth header, and the values to redact from the answer), and setting up a
 * decipher costs more than the page's own work there. A sealed text has a random IV, so a
 * changed secret is a new entry; the oldest entries go first.
 */
const OPENED_KEPT = 256;

/** AES-256-GCM for the secrets a connector keeps: confidentiality and tamper detection. */
export class SecretBox {
  private readonly key: Buffer;
  private readonly opened = new Map<string, string>();

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SECRET_KEY must be 32 bytes (base64 or hex)');
    this.key = key;
  }

  seal(value: unknown): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  /** The sealed value; throws when it was sealed with another key or changed since. */
  open<T>(sealed: string): T {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      plain = this.decrypt(sealed);
      if (this.opened.size >= OPENED_KEPT) this.opened.delete(this.opened.keys().next().value!);
      this.opened.set(sealed, plain);
    }
    // Parsed anew for each caller: none can change what another one reads.
    return JSON.parse(plain) as T;
  }

  private decrypt(sealed: string): string {
    const [version, payload] = sealed.split(':');
    if (version !== VERSION || !payload) throw new Error('Unknown secret format');
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return plain.toString('utf8');
  }
}

/** Reads SECRET_KEY as base64 or hex. */
export function parseSecretKey(value: string): Buffer {
  return /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

/** The embedded default: a key generated once and kept (owner-only) in the data folder. */
export function loadOrCreateSecretKey(dataDir: string): Buffer {
  const file = join(dataDir, 'secret-key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return parseSecretKey(readFileSync(file, 'utf8').trim());
}
