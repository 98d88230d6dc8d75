import { BadUserInputError, NotFoundError } from '@uif/runtime';

export class OrganizationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Organization', id);
  }
}

export class InvalidOrganizationSettingsError extends BadUserInputError {}
