import { setTimeout as sleep } from 'node:timers/promises';
import { composeServices } from '@apollo/composition';
import { serviceHeaders, type Logger } from '@uif/runtime';
import { parse } from 'graphql';

export interface SubgraphEndpoint {
  name: string;
  /** The subgraph's origin, e.g. http://127.0.0.1:4001 */
  url: string;
}

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`The subgraphs do not compose into a supergraph:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

async function fetchSdl(subgraph: SubgraphEndpoint, secret: string): Promise<string> {
  const response = await fetch(new URL('/graphql', subgraph.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...serviceHeaders('gateway', secret) },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } } };
  const sdl = body.data?._service?.sdl;
  if (!sdl) throw new Error('the answer holds no _service.sdl');
  return sdl;
}

/** Asks a subgraph for its SDL until it answers or `waitSeconds` have passed (subgraphs start in parallel). */
async function fetchSdlWhenReady(
  subgraph: SubgraphEndpoint,
  secret: string,
  waitSeconds: number,
  log: Logger,
) {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetchSdl(subgraph, secret);
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      if (Date.now() >= deadline) {
        throw new Error(`The ${subgraph.name} subgraph at ${subgraph.url} did not answer: ${reason}`, {
          cause: error,
        });
      }
      if (attempt % 10 === 0) log.info({ subgraph: subgraph.name, reason }, 'waiting for subgraph');
      await sleep(Math.min(200 * attempt, 1000));
    }
  }
}

/** Fetches every subgraph's SDL and composes the supergraph, or throws with every composition error. */
export async function composeSupergraph(
  subgraphs: SubgraphEndpoint[],
  secret: string,
  waitSeconds: number,
  log: Logger,
): Promise<string> {
  const services = await Promise.all(
    subgraphs.map(async (subgraph) => ({
      name: subgraph.name,
      url: new URL('/graphql', subgraph.url).toString(),
      typeDefs: parse(await fetchSdlWhenReady(subgraph, secret, waitSeconds, log)),
    })),
  );
  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors.map((error) => error.message));
  return result.supergraphSdl;
}
