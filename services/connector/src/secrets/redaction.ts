import { DomainError } from '@uif/runtime';

/** What a secret is replaced with in anything quoted from a provider. */
export const REDACTED = '[redacted]';

/**
 * Shorter secrets are not looked for: they are guessed in moments anyway, and replacing every
 * 't' or '42' would garble each answer beyond use.
 */
const SHORTEST_REDACTED = 4;

/**
 * Every secret value a connector keeps (header values, tokens, client secret, passwords): each
 * string of its secret half. An auth method that sends a value derived from them (Basic's
 * base64 of id:password) passes that value too.
 */
export function secretValues(secrets: object, derived: string[] = []): string[] {
  return [...Object.values(secrets), ...derived].filter(
    (value): value is string => typeof value === 'string' && value.length >= SHORTEST_REDACTED,
  );
}

/**
 * Takes out of provider answers every secret the connector sent, as it was sent and as an echo
 * may write it (URL-encoded, base64): many debugging endpoints echo the request's headers back.
 */
export class Redactor {
  private readonly forms: string[];

  constructor(secrets: Iterable<string>) {
    const forms = [...secrets].flatMap((secret) => [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ]);
    // The longest first, so a secret's base64 is taken whole before a shorter secret inside it.
    this.forms = [...new Set(forms)].sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let text = value;
    for (const form of this.forms) {
      // Most values are shorter than any secret: no search needed.
      if (text.length < form.length) continue;
      if (text.includes(form)) text = text.split(form).join(REDACTED);
    }
    return text;
  }

  /**
   * A provider's data (users, samples, answers) with every string value redacted. Called on every
   * page an import reads, so it copies with plain loops, not entries arrays.
   */
  deep<T>(value: T): T {
    if (typeof value === 'string') return (this.forms.length === 0 ? value : this.text(value)) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.deep(item)) as T;
    if (value && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const item = this.deep((value as Record<string, unknown>)[key]);
        // A provider's "__proto__" key stays data: assigned, it would replace the copy's prototype.
        if (key === '__proto__')
          Object.defineProperty(copy, key, {
            value: item,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else copy[key] = item;
      }
      return copy as T;
    }
    return value;
  }

  /** A domain error quoting a provider, redacted in place (its class, and so its code, kept). */
  error(error: unknown): unknown {
    if (!(error instanceof DomainError)) return error;
    error.message = this.text(error.message);
    for (const [key, value] of Object.entries(error.extensions)) error.extensions[key] = this.deep(value);
    const { details } = error as { details?: Record<string, unknown> };
    if (details) for (const [key, value] of Object.entries(details)) details[key] = this.deep(value);
    return error;
  }
}
