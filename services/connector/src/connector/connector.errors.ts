import { BadUserInputError, ConflictError, NotFoundError } from '@uif/runtime';

export class ConnectorNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Connector', id);
  }
}

export class InvalidConnectorInputError extends BadUserInputError {}

/** The connector is not in a state that allows the operation; the message says what to do first. */
export class ConnectorStateError extends ConflictError {}

/** A listing asked of a connector saved without a list-users endpoint (a SCIM one always has one). */
export class NoListUsersEndpointError extends ConnectorStateError {
  constructor(connectorId: string) {
    super(`Connector ${connectorId} has no list-users endpoint`);
  }
}
