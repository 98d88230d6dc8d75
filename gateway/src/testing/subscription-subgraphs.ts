import { AUTHENTICATE_PATH, type AuthenticatedKey } from '@uif/directory-client';
import { BadUserInputError, createLogger, NotFoundError } from '@uif/runtime';
import {
  buildFederatedSchema,
  createInProcessPubSub,
  organizationOf,
  startSubgraphServer,
  type RunningServer,
  type SubgraphContext,
} from '@uif/subgraph';
import {
  Arg,
  Ctx,
  Directive,
  Field,
  ID,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
  type PubSub,
} from 'type-graphql';

/*
 * Three small subgraphs for the gateway's subscription tests:
 * - "ticks" owns Subscription.ticks(channel): Tick, whose `item` is an Item entity it only references;
 * - "items" owns Item.label (resolved from the caller's organization, to show identity reaches it);
 * - a directory stand-in that answers the gateway's /internal/authenticate from a fixed key list.
 */

const log = createLogger({ name: 'subscription-test', level: 'silent' });

// ---------------------------------------------------------------- ticks subgraph

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Item')
class ItemReference {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
class Tick {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  n!: number;

  @Field(() => ItemReference, { nullable: true })
  item!: ItemReference | null;
}

/** What the test publishes; the subscription turns it into a Tick. */
export interface TickEvent {
  id: string;
  n: number;
  itemId: string | null;
}

const TICKS_TOPIC = 'ticks';
const topicId = (organizationId: string, channel: string) => `${organizationId}/${channel}`;

@Resolver()
class TickResolver {
  @Query(() => [String], { description: 'A query, because a subgraph needs one.' })
  tickChannels(): string[] {
    return [];
  }

  // The organization is part of the topic: a caller only ever hears its own organization's ticks.
  @Subscription(() => Tick, {
    topics: TICKS_TOPIC,
    topicId: ({ args, context }) =>
      topicId(organizationOf(context as SubgraphContext), args.channel as string),
  })
  ticks(@Root() event: TickEvent, @Arg('channel') _channel: string): Tick {
    // An event the subgraph fails to resolve: the gateway must pass the error on, and go on.
    if (event.n < 0) throw new BadUserInputError(`A tick cannot count ${event.n}`, ['n']);
    return { id: event.id, n: event.n, item: event.itemId ? { id: event.itemId } : null };
  }
}

/**
 * The ticks subgraph's PubSub: the in-process one, counting open subscriptions per topic so a test
 * can wait for a subscription to reach the subgraph and see it return when the client completes.
 */
export class TickSource implements PubSub {
  private readonly inner = createInProcessPubSub();
  private readonly open = new Map<string, number>();

  /** Publishes a tick to the organization's subscribers of `channel`. */
  tick(organizationId: string, channel: string, event: TickEvent): void {
    this.inner.publish(TICKS_TOPIC, topicId(organizationId, channel), event);
  }

  /** Subscriptions open on the subgraph for the organization's channel. */
  openSubscriptions(organizationId: string, channel: string): number {
    return this.open.get(`${TICKS_TOPIC}:${topicId(organizationId, channel)}`) ?? 0;
  }

  publish(routingKey: string, ...args: unknown[]): void {
    this.inner.publish(routingKey, ...args);
  }

  subscribe(routingKey: string, dynamicId?: unknown): AsyncIterable<unknown> {
    const key = `${routingKey}:${String(dynamicId)}`;
    const source = this.inner.subscribe(routingKey, dynamicId)[Symbol.asyncIterator]();
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.open.set(key, (this.open.get(key) ?? 1) - 1);
    };
    const iterator: AsyncIterator<unknown> = {
      next: async () => {
        const result = await source.next();
        if (result.done) close();
        return result;
      },
      return: async (value?: unknown) => {
        close();
        return (await source.return?.(value)) ?? { done: true, value: undefined };
      },
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }
}

export async function startTicksSubgraph(secret: string, source: TickSource): Promise<RunningServer> {
  return startSubgraphServer({
    name: 'ticks',
    port: 0,
    schema: await buildFederatedSchema({ resolvers: [TickResolver], pubSub: source }),
    internalSecret: secret,
    log,
    context: (base) => base,
    readiness: async () => undefined,
  });
}

// ---------------------------------------------------------------- items subgraph

@Directive('@key(fields: "id")')
@ObjectType('Item')
class Item {
  @Field(() => ID)
  id!: string;

  @Field()
  label!: string;
}

/** Labels say whose they are, so a test sees which identity the gateway sent here. */
function itemFor(id: string, context: SubgraphContext): Item {
  if (id === 'missing') throw new NotFoundError('Item', id);
  return { id, label: `${id} of ${organizationOf(context)}` };
}

@Resolver()
class ItemResolver {
  @Query(() => Item)
  item(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Item {
    return itemFor(id, context);
  }
}

export async function startItemsSubgraph(secret: string): Promise<RunningServer> {
  return startSubgraphServer({
    name: 'items',
    port: 0,
    schema: await buildFederatedSchema({
      resolvers: [ItemResolver],
      referenceResolvers: {
        Item: {
          __resolveReference: (reference: { id: string }, context: SubgraphContext) =>
            itemFor(reference.id, context),
        },
      },
    }),
    internalSecret: secret,
    log,
    context: (base) => base,
    readiness: async () => undefined,
  });
}

// ---------------------------------------------------------------- directory stand-in

export interface TestApiKey {
  apiKey: string;
  organizationId: string;
}

@Resolver()
class DirectoryStandInResolver {
  @Query(() => String, { description: 'A query, because a subgraph needs one.' })
  directoryStandIn(): string {
    return 'ok';
  }
}

/** Answers POST /internal/authenticate like the directory: 200 with the key, or 401. */
export async function startDirectoryStandIn(secret: string, keys: TestApiKey[]): Promise<RunningServer> {
  return startSubgraphServer({
    name: 'directory stand-in',
    port: 0,
    schema: await buildFederatedSchema({ resolvers: [DirectoryStandInResolver] }),
    internalSecret: secret,
    log,
    context: (base) => base,
    readiness: async () => undefined,
    internalRoutes: (router) => {
      router.post(AUTHENTICATE_PATH.replace(/^\/internal/, ''), (req, res) => {
        const { apiKey, organizationId } = req.body as Partial<TestApiKey>;
        const key = keys.find((k) => k.apiKey === apiKey && k.organizationId === organizationId);
        if (!key) {
          res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Unknown key' } });
          return;
        }
        res.json({
          organizationId: key.organizationId,
          apiKeyId: `id-${key.apiKey}`,
          label: 'test key',
        } satisfies AuthenticatedKey);
      });
    },
  });
}
