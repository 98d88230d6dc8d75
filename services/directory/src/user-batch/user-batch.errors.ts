import { NotFoundError } from '@uif/runtime';

export class BatchOrganizationNotFoundError extends NotFoundError {
  constructor(organizationId: string) {
    super('Organization', organizationId);
  }
}
