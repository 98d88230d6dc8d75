import { ProviderError } from './errors.js';
import type { ProviderResponse } from './http.js';

/** How much of a provider's body an error message quotes (the whole body travels in its details). */
const EXCERPT = 300;

export function excerpt(text: string, length = EXCERPT): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** `path` under `base`, whatever slashes either has, e.g. https://hr.example/api + /employees. */
export function urlUnder(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
}

export function detailsOf(response: ProviderResponse): ProviderError['details'] {
  return { status: response.status, body: response.body, url: response.url };
}

/**
 * The parsed body of a 2xx JSON answer (any `+json` type too); throws ProviderError naming what is
 * wrong. `describeStatus` words a non-2xx answer.
 */
export function jsonBodyOf(
  response: ProviderResponse,
  describeStatus = (r: ProviderResponse) => `The provider answered HTTP ${r.status} to GET ${r.url}`,
): unknown {
  if (response.status < 200 || response.status > 299) {
    throw new ProviderError(describeStatus(response), detailsOf(response));
  }
  const contentType = response.contentType ?? '(none)';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ProviderError(
      `The provider answered ${contentType} instead of JSON: ${excerpt(response.body)}`,
      detailsOf(response),
    );
  }
  try {
    return JSON.parse(response.body);
  } catch {
    throw new ProviderError(
      `The provider's answer is not valid JSON: ${excerpt(response.body)}`,
      detailsOf(response),
    );
  }
}

/** The value as JSON, or a note when it is nested too deep to write out. */
function quoted(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '(nested too deeply to show)';
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const kind = typeof value;
  const type =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : kind === 'object'
          ? 'an object'
          : `a ${kind}`;
  return `${type}: ${excerpt(quoted(value))}`;
}

/** A count given as a number or numeric text; null when it is neither. */
export function asCount(value: unknown): number | null {
  const count =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isInteger(count) && count >= 0 ? count : null;
}
