import { BadUserInputError } from '@uif/runtime';

/** The callback cannot complete: unknown, used or expired state, or the provider refused the code. */
export class OAuthCallbackError extends BadUserInputError {}
