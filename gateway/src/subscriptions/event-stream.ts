import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Sink } from 'graphql-ws';
import type { UpstreamEvent } from './upstream.js';
import { subscriptionStarted } from '../metrics/subscription-metrics.js';

/** What the upstream subscription delivered, in order. */
type UpstreamMessage =
  | { kind: 'event'; event: UpstreamEvent }
  | { kind: 'failed'; errors: GraphQLError[] }
  | { kind: 'completed' };

export interface EventStreamOptions {
  /** Opens the upstream subscription; the returned function completes it. */
  open: (sink: Sink<UpstreamEvent>) => () => void;
  /** The client's result for one upstream event; it must not throw. */
  resolve: (event: UpstreamEvent) => Promise<ExecutionResult>;
  /** Events waiting for a slow client beyond this end the subscription (the buffer is not unbounded). */
  maxBufferedEvents: number;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

function isFormattedErrorList(value: unknown): value is GraphQLFormattedError[] {
  return (
    Array.isArray(value) &&
    value.every((item) => typeof item === 'object' && item !== null && 'message' in item)
  );
}

/** graphql-ws hands its sink's `error` a list of GraphQL errors, a CloseEvent or an Error. */
export function upstreamFailure(cause: unknown): GraphQLError[] {
  if (isFormattedErrorList(cause)) {
    return cause.map(
      (error) =>
        new GraphQLError(error.message, {
          ...(error.path ? { path: error.path } : {}),
          ...(error.extensions ? { extensions: error.extensions } : {}),
        }),
    );
  }
  if (cause instanceof Error) return [new GraphQLError(cause.message, { originalError: cause })];
  // A CloseEvent: the subgraph closed the socket, or it went away.
  const { code, reason } = (cause ?? {}) as { code?: unknown; reason?: unknown };
  const detail = [code, reason].filter((part) => part !== undefined && part !== '').join(' ');
  const error = new Error(`The subgraph connection closed${detail ? ` (${detail})` : ''}`);
  return [new GraphQLError(error.message, { originalError: error })];
}

/**
 * The client's side of one subscription: an async iterator over resolved events, fed by the upstream
 * subscription. Written with explicit next/return (not an async generator, whose `return` waits for
 * the pending `next`), so that a client's `complete` completes the upstream subscription at once.
 * Events are resolved one at a time, in the order the subgraph sent them. An upstream failure is
 * delivered as a last result with errors, then the stream ends. It has one reader at a time
 * (graphql-ws reads it with `for await`).
 */
export class EventStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly buffer: UpstreamMessage[] = [];
  private waiting: ((message: UpstreamMessage | null) => void) | null = null;
  private finished = false;
  private upstreamEnded = false;
  private readonly unsubscribe: () => void;

  private readonly ended = subscriptionStarted();

  constructor(private readonly options: EventStreamOptions) {
    this.unsubscribe = options.open({
      next: (event) => this.deliver({ kind: 'event', event }),
      error: (cause) => {
        this.upstreamEnded = true;
        this.deliver({ kind: 'failed', errors: upstreamFailure(cause) });
      },
      complete: () => {
        this.upstreamEnded = true;
        this.deliver({ kind: 'completed' });
      },
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (this.finished) return DONE;
    const message = this.buffer.shift() ?? (await this.nextMessage());
    if (!message || this.finished) return DONE;
    switch (message.kind) {
      case 'event': {
        const result = await this.options.resolve(message.event);
        // The client may have completed while the event was being resolved: send it nothing more.
        return this.finished ? DONE : { done: false, value: result };
      }
      case 'failed':
        this.finish();
        return { done: false, value: { errors: message.errors } };
      case 'completed':
        this.finish();
        return DONE;
    }
  }

  /** The client completed (or disconnected): complete upstream now, drop what is buffered. */
  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.finish();
    return DONE;
  }

  async throw(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.finish();
    return DONE;
  }

  private nextMessage(): Promise<UpstreamMessage | null> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private deliver(message: UpstreamMessage): void {
    if (this.finished) return;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting(message);
      return;
    }
    if (message.kind === 'event' && this.buffer.length >= this.options.maxBufferedEvents) {
      // A client that does not keep up would make the gateway hold its events without bound.
      this.buffer.length = 0;
      this.closeUpstream();
      const error = new GraphQLError(
        'The subscription was ended: its events arrived faster than they were read',
        {
          extensions: { code: 'BAD_REQUEST' },
        },
      );
      this.buffer.push({ kind: 'failed', errors: [error] });
      return;
    }
    this.buffer.push(message);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.ended();
    this.buffer.length = 0;
    this.closeUpstream();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(null);
  }

  private closeUpstream(): void {
    if (this.upstreamEnded) return;
    this.upstreamEnded = true;
    this.unsubscribe();
  }
}
