import { IDENTITY_HEADER, signIdentity, type Identity } from '@uif/runtime';

export interface GraphQLAnswer<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs one GraphQL operation over real HTTP and returns the status with the parsed answer. */
export async function graphqlRequest<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  try {
    return { status: response.status, ...(JSON.parse(text) as Omit<GraphQLAnswer<Data>, 'status'>) };
  } catch {
    throw new Error(`Not a GraphQL answer (HTTP ${response.status}): ${text.slice(0, 300)}`);
  }
}

/** A caller of the gateway with an organization's API key. */
export function gatewayClient(gatewayUrl: string, apiKey: string, organizationId: string) {
  const headers = { 'x-api-key': apiKey, 'x-org-id': organizationId };
  return <Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
    graphqlRequest<Data>(`${gatewayUrl}/graphql`, query, variables, headers);
}

/** A caller of a subgraph that signs its identity as the gateway would. */
export function signedSubgraphClient(subgraphUrl: string, identity: Identity, secret: string) {
  return <Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
    graphqlRequest<Data>(`${subgraphUrl}/graphql`, query, variables, {
      [IDENTITY_HEADER]: signIdentity(identity, secret),
    });
}

/** The data of an answer that must have succeeded; fails with the errors otherwise. */
export function dataOf<Data>(answer: GraphQLAnswer<Data>): Data {
  if (answer.errors?.length || !answer.data) {
    throw new Error(`GraphQL errors (HTTP ${answer.status}): ${JSON.stringify(answer.errors)}`);
  }
  return answer.data;
}
