import { BadUserInputError, ConflictError, NotFoundError } from '@uif/runtime';

export class ApiKeyInUseError extends ConflictError {
  constructor() {
    super('This API key value already belongs to another organization');
  }
}

export class ApiKeyNotFoundError extends NotFoundError {
  constructor(which: string) {
    super('API key', which);
  }
}

export class AmbiguousApiKeyError extends BadUserInputError {
  constructor(label: string, count: number) {
    super(`${count} live keys are labelled "${label}": revoke one by its id (pnpm keys list)`, ['label']);
  }
}
