import { ConflictError } from '@uif/runtime';

export class ApiKeyInUseError extends ConflictError {
  constructor() {
    super('This API key value already belongs to another organization');
  }
}
