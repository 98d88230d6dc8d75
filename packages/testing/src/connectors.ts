import { dataOf, type GraphQLAnswer } from './graphql.js';
import { EMPLOYEE_MAPPING } from './hr-employees.js';

/** A GraphQL caller: the gateway with an API key, or a subgraph with a signed identity. */
export type GraphQLCaller = <Data = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
) => Promise<GraphQLAnswer<Data>>;

/**
 * A custom-API connector on our HR provider at `baseUrl` (see startHrProvider), mapped and activated;
 * `input` replaces parts of its CustomApiConnectorInput (another auth, another listing), `mapping`
 * maps users of another shape.
 */
export async function createActiveConnector(
  query: GraphQLCaller,
  baseUrl: string,
  pageSize = 100,
  input: Record<string, unknown> = {},
  mapping: object = EMPLOYEE_MAPPING,
): Promise<string> {
  const { createCustomApiConnector } = dataOf(
    await query<{ createCustomApiConnector: { id: string } }>(
      'mutation ($input: CustomApiConnectorInput!) { createCustomApiConnector(input: $input) { id } }',
      {
        input: {
          displayLabel: 'Acme HR',
          baseUrl,
          auth: { bearerToken: { token: 'hr-token' } },
          listUsers: {
            path: '/employees',
            resourceLocation: '.',
            totalCountSource: 'HEADER',
            totalCountLocation: 'X-Total-Count',
            limitParam: 'limit',
            offsetParam: 'offset',
            pageSize,
          },
          ...input,
        },
      },
    ),
  );
  const id = createCustomApiConnector.id;
  await mapAndActivate(query, id, mapping);
  return id;
}

/** Gives the connector `mapping` and activates it, as an admin does before importing. */
export async function mapAndActivate(
  query: GraphQLCaller,
  connectorId: string,
  mapping: object,
): Promise<void> {
  dataOf(
    await query(
      'mutation ($id: ID!, $m: AttributeMappingInput!) { setAttributeMapping(connectorId: $id, input: $m) { id } }',
      { id: connectorId, m: mapping },
    ),
  );
  dataOf(
    await query('mutation ($id: ID!) { activateConnector(connectorId: $id) { state } }', { id: connectorId }),
  );
}
