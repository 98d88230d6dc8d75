import { IDENTITY_HEADER, signIdentity, SUBSCRIPTION_PATH } from '@uif/runtime';
import {
  createClient,
  type Client,
  type FormattedExecutionResult,
  type Sink,
  type SubscribePayload,
} from 'graphql-ws';
import WebSocket from 'ws';
import type { MemberIdentity } from '../auth/authenticator.js';

export type UpstreamEvent = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** The subgraph's graphql-ws URL: its HTTP URL with ws: (or wss:) and the path /graphql. */
export function subscriptionUrlOf(httpUrl: string): string {
  const url = new URL(SUBSCRIPTION_PATH, httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * The upstream sockets of one client connection: one lazy graphql-ws client per subgraph, opened on
 * the first subscription to it and closed after its last one, so a client's subscriptions to the
 * same subgraph share a socket. Every connection presents the caller's identity, signed afresh
 * (a signature expires after 60 s and subgraphs check it when a connection opens).
 */
export class UpstreamConnections {
  private readonly clients = new Map<string, Client>();
  private disposed = false;

  constructor(
    private readonly subgraphUrls: ReadonlyMap<string, string>,
    private readonly identity: MemberIdentity,
    private readonly internalSecret: string,
  ) {}

  /** Opens `payload` on the subgraph; the returned function completes it upstream at once. */
  subscribe(subgraph: string, payload: SubscribePayload, sink: Sink<UpstreamEvent>): () => void {
    return this.clientFor(subgraph).subscribe(payload, sink);
  }

  /** Closes every upstream socket (their subscriptions end with an error if still running). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.dispose()));
  }

  private clientFor(subgraph: string): Client {
    if (this.disposed) throw new Error('The client connection is closed');
    let client = this.clients.get(subgraph);
    if (!client) {
      const httpUrl = this.subgraphUrls.get(subgraph);
      if (!httpUrl) throw new Error(`The supergraph has no subgraph named ${subgraph}`);
      client = createClient({
        url: subscriptionUrlOf(httpUrl),
        webSocketImpl: WebSocket,
        // A function: called on every (re)connection, so the signature is always fresh.
        connectionParams: () => ({ [IDENTITY_HEADER]: signIdentity(this.identity, this.internalSecret) }),
        lazy: true,
        // A lost upstream ends the client's subscriptions with an error instead of silently
        // reconnecting: events published meanwhile would be missed without the client knowing.
        retryAttempts: 0,
      });
      this.clients.set(subgraph, client);
    }
    return client;
  }
}
