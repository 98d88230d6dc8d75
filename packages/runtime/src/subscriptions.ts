/*
 * What the gateway and the subgraphs agree on for graphql-ws, kept here so the gateway needs no
 * subgraph (database) package for it. Types are structural: this package depends on neither ws nor
 * Apollo Server.
 */

/** Subscriptions are served where queries are: graphql-ws on the same path, upgraded from HTTP. */
export const SUBSCRIPTION_PATH = '/graphql';

/**
 * The subscribe message's `extensions` key the gateway puts its request id in (one upstream socket
 * carries several subscriptions, so the id cannot travel with the connection).
 */
export const REQUEST_ID_EXTENSION = 'x-request-id';

/** How long open sockets get to answer a close before they are cut (stop must not hang on a dead peer). */
const CLOSE_GRACE_MS = 2_000;

/**
 * Closes a graphql-ws server (a ws WebSocketServer): every subscription returns, and sockets that do
 * not answer the close handshake in time are cut, or stop would wait for a dead peer.
 */
export function closeWithGrace(
  wsServer: { clients: Iterable<{ terminate(): void }> },
  cleanup: { dispose(): unknown },
): () => Promise<void> {
  return async () => {
    const timer = setTimeout(() => {
      for (const socket of wsServer.clients) socket.terminate();
    }, CLOSE_GRACE_MS);
    try {
      await cleanup.dispose();
    } finally {
      clearTimeout(timer);
    }
  };
}

/** An Apollo Server plugin, as far as draining goes. */
export interface DrainPlugin {
  serverWillStart(): Promise<{ drainServer(): Promise<void> }>;
}

/** An Apollo plugin that closes the subscription sockets while Apollo drains the HTTP server. */
export function drainSubscriptions(server: { close(): Promise<void> }): DrainPlugin {
  return {
    async serverWillStart() {
      return { drainServer: () => server.close() };
    },
  };
}
