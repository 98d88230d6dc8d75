import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';
import { authHeaders, loadSession, type Session } from './session';

/** A GraphQL error as the contract defines it: a code, a message, and for BAD_USER_INPUT the fields. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The offending input fields, e.g. ["input.baseUrl"]. */
  get fields(): string[] {
    const fields = this.extensions.fields;
    return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [];
  }
}

interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

function currentSession(): Session {
  const session = loadSession();
  if (!session) throw new ApiError('Sign in first', 'UNAUTHENTICATED');
  return session;
}

/** One query or mutation over HTTP as the signed-in organization (or as `session` when given). */
export async function request<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables?: Variables,
  session: Session = currentSession(),
): Promise<Data> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(session) },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('The server cannot be reached. Check your connection and try again.', 'NETWORK');
  }
  const body = (await response.json().catch(() => null)) as GraphQLResponse<Data> | null;
  const [first] = body?.errors ?? [];
  if (first) {
    const extensions = first.extensions ?? {};
    throw new ApiError(first.message, String(extensions.code ?? 'INTERNAL_SERVER_ERROR'), extensions);
  }
  if (!body?.data) throw new ApiError(`The server answered HTTP ${response.status}`, 'INTERNAL_SERVER_ERROR');
  return body.data;
}

let socket: { client: Client; key: string } | null = null;

function subscriptionClient(session: Session): Client {
  const key = `${session.orgId}\n${session.apiKey}`;
  if (socket?.key !== key) {
    void socket?.client.dispose();
    const url = new URL('/graphql', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = { key, client: createClient({ url: url.toString(), connectionParams: authHeaders(session) }) };
  }
  return socket.client;
}

/** A subscription over graphql-ws through the gateway; returns the function that ends it. */
export function subscribe<Data, Variables extends Record<string, unknown>>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
  handlers: { next(data: Data): void; error(error: ApiError): void; complete?(): void },
): () => void {
  return subscriptionClient(currentSession()).subscribe<Data>(
    { query: document.toString(), variables },
    {
      next: (result) => {
        const [first] = result.errors ?? [];
        if (first) handlers.error(new ApiError(first.message, String(first.extensions?.code ?? 'ERROR')));
        else if (result.data) handlers.next(result.data);
      },
      error: () => handlers.error(new ApiError('Live progress was interrupted', 'NETWORK')),
      complete: () => handlers.complete?.(),
    },
  );
}

export function closeSubscriptions(): void {
  void socket?.client.dispose();
  socket = null;
}
