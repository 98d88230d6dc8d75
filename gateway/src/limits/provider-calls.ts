import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../context.js';

/**
 * Root fields that call the connector's provider: each alias is another request to someone else's
 * API (and importCandidates reads a whole listing), so they are counted, not priced like others.
 */
export const PROVIDER_FIELDS = new Set([
  'testConnection',
  'userSchemaPreview',
  'mappedUserPreview',
  'importCandidates',
]);

function operationOf(
  document: DocumentNode,
  name: string | null | undefined,
): OperationDefinitionNode | undefined {
  return document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (!name || definition.name?.value === name),
  );
}

/** Provider fields at the root of the operation, each alias counted, fragments followed. */
export function providerCallsIn(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const count = (selectionSet: SelectionSetNode, seen: Set<string>): number =>
    selectionSet.selections.reduce((sum, selection) => {
      if (selection.kind === Kind.FIELD) return sum + (PROVIDER_FIELDS.has(selection.name.value) ? 1 : 0);
      if (selection.kind === Kind.INLINE_FRAGMENT) return sum + count(selection.selectionSet, seen);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return sum;
      return sum + count(fragment.selectionSet, new Set([...seen, fragment.name.value]));
    }, 0);
  const operation = operationOf(document, operationName);
  return operation ? count(operation.selectionSet, new Set()) : 0;
}

/** A refusal the client can act on: what was asked, what is allowed. */
function refused(code: string, message: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/**
 * At most `atOnce` provider calls per operation (refused before anything runs) and per organization
 * at once in this gateway (an operation that would pass that waits for nothing: it is refused).
 */
export function providerCallsPlugin(atOnce: number): ApolloServerPlugin<GatewayContext> {
  const running = new Map<string, number>();
  return {
    async requestDidStart() {
      let held: { organizationId: string; calls: number } | null = null;
      return {
        async didResolveOperation({ document, request, contextValue }) {
          const calls = providerCallsIn(document, request.operationName);
          if (calls === 0) return;
          if (calls > atOnce) {
            throw refused(
              'TOO_MANY_PROVIDER_CALLS',
              `The operation asks the provider ${calls} times (testConnection, userSchemaPreview, mappedUserPreview, importCandidates); at most ${atOnce} per operation`,
              400,
            );
          }
          const organizationId = contextValue.identity!.organizationId;
          const busy = running.get(organizationId) ?? 0;
          if (busy + calls > atOnce) {
            throw refused(
              'RATE_LIMITED',
              `This organization already has ${busy} provider calls running; at most ${atOnce} at once: try again when they finish`,
              429,
            );
          }
          running.set(organizationId, busy + calls);
          held = { organizationId, calls };
        },
        async willSendResponse() {
          if (!held) return;
          const left = (running.get(held.organizationId) ?? 0) - held.calls;
          if (left > 0) running.set(held.organizationId, left);
          else running.delete(held.organizationId);
          held = null;
        },
      };
    },
  };
}
