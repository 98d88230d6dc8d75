import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, signIdentity } from '@uif/runtime';
import type { GatewayContext } from './context.js';
import { subgraphFetch } from './subgraph-fetch.js';

/** Forwards each subgraph request with the caller's identity, signed so subgraphs can trust it. */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly internalSecret: string,
  ) {
    super({ url, fetcher: subgraphFetch });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const identity = context.identity ?? { kind: 'service' as const, service: 'gateway' };
    request.http?.headers.set(IDENTITY_HEADER, signIdentity(identity, this.internalSecret));
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }
}
