import { BadUserInputError, ConflictError, NotFoundError } from '@uif/runtime';

export class ConnectorNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Connector', id);
  }
}

export class InvalidConnectorInputError extends BadUserInputError {}

/** The connector is not in a state that allows the operation; the message says what to do first. */
export class ConnectorStateError extends ConflictError {}
