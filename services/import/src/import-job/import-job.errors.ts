import { BadUserInputError, ConflictError, NotFoundError } from '@uif/runtime';

export class ImportJobNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Import job', id);
  }
}

export class InvalidImportInputError extends BadUserInputError {}

/** The connector or the job is not in a state that allows the operation; the message says why. */
export class ImportStateError extends ConflictError {}
