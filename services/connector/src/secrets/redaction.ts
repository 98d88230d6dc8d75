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
   * `value`, which JSON.parse read from `json` (all of it or a part, nothing added), redacted.
   * Most pages hold no secret: when `json` holds none and no escape (`\`), each of its strings is
   * written in it as it reads, so none of them can hold one, and `value` is returned unwalked.
   */
  parsed<T>(value: T, json: string): T {
    if (this.forms.length === 0) return value;
    if (!json.includes('\\') && this.forms.every((form) => !json.includes(form))) return value;
    return this.deep(value);
  }

  /**
   * A provider's data (users, samples, answers) with every string value redacted. Called on every
   * page an import reads, where a secret is rare: a value with nothing to redact is returned as
   * it is, and only the objects and arrays on the way to a redacted string are copied.
   */
  deep<T>(value: T): T {
    if (this.forms.length === 0) return value;
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const item = this.deep<unknown>(value[i]);
        if (item !== value[i]) (copy ??= value.slice())[i] = item;
      }
      return (copy ?? value) as T;
    }
    if (value && typeof value === 'object') {
      let copy: Record<string, unknown> | null = null;
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        const item = this.deep(object[key]);
        if (item !== object[key]) setOwn((copy ??= copyOf(object)), key, item);
      }
      return (copy ?? value) as T;
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

/** A plain copy of a provider's object, its own keys only. */
function copyOf(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) setOwn(copy, key, object[key]);
  return copy;
}

/** A provider's "__proto__" key stays data: assigned, it would replace the object's prototype. */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
