import { NotFoundError } from '@uif/runtime';

export class ConnectorNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Connector', id);
  }
}
