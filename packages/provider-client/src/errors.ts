import { DomainError } from '@uif/runtime';

/** Longest excerpt of a provider's body carried in an error. */
export const BODY_EXCERPT_LENGTH = 64 * 1024;

/** The provider answered badly or not at all; carries what it said so an admin can act on it. */
export class ProviderError extends DomainError {
  constructor(
    message: string,
    readonly details: {
      status?: number | undefined;
      body?: string | undefined;
      url?: string | undefined;
    } = {},
  ) {
    super('PROVIDER_ERROR', message, {
      ...(details.status !== undefined ? { status: details.status } : {}),
      ...(details.body !== undefined ? { body: details.body.slice(0, BODY_EXCERPT_LENGTH) } : {}),
    });
  }
}

/** A connector may not reach this address (private network, loopback, metadata service…). */
export class TargetRefusedError extends DomainError {
  constructor(message: string) {
    super('BAD_USER_INPUT', message, { fields: ['baseUrl'] });
  }
}
