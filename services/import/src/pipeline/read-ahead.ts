/**
 * `source`, pulled up to `limit` items ahead of its consumer: reading goes on while the consumer
 * works on what it has. A failure of the source reaches the consumer in its place, after the items
 * before it. When the consumer stops early, the source is told to stop too.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const ahead: Promise<IteratorResult<T>>[] = [];
  let ended = false;
  try {
    for (;;) {
      // An async generator queues these calls and answers them in order.
      while (!ended && ahead.length < limit) {
        const next = iterator.next();
        next.then(
          (result) => (ended ||= result.done === true),
          () => (ended = true),
        );
        ahead.push(next);
      }
      const result = await ahead.shift()!;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    // Not awaited: the calls queued ahead would hold a stopping consumer until they were answered.
    iterator.return?.().catch(() => undefined);
  }
}
