import { UnauthenticatedError, type Identity, type Logger } from '@uif/runtime';

/** What every subgraph resolver receives; services extend it with their own loaders. */
export interface SubgraphContext {
  identity: Identity;
  requestId: string;
  log: Logger;
}

/** The caller's organization; a service identity has none and may not use organization data. */
export function organizationOf(context: SubgraphContext): string {
  if (context.identity.kind !== 'member')
    throw new UnauthenticatedError('This operation needs an organization member');
  return context.identity.organizationId;
}

/** The name recorded as the actor of a change: the API key's label, or the service. */
export function actorOf(context: SubgraphContext): string {
  return context.identity.kind === 'member' ? context.identity.actor : context.identity.service;
}
