import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** Every request the server received, in order. */
  requests: { url: URL; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export type TestHandler = (
  request: { url: URL; headers: IncomingMessage['headers'] },
  response: ServerResponse,
) => void | Promise<void>;

/** A real HTTP server on 127.0.0.1 that a test scripts; the stand-in for a provider of ours. */
export async function startTestServer(handler: TestHandler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = createServer((req, res) => {
    const entry = { url: new URL(req.url ?? '/', 'http://127.0.0.1'), headers: req.headers };
    requests.push(entry);
    Promise.resolve(handler(entry, res)).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON with extra headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
