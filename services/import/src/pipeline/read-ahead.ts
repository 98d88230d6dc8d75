/**
 * `source`, pulled up to `limit` items ahead of its consumer: while the consumer works on an item,
 * the next `limit` are being read. A failure of the source reaches the consumer in its place, after
 * the items before it. When the consumer stops early, the source is told to stop too.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const ahead: Promise<IteratorResult<T>>[] = [];
  let ended = false;
  // An async generator queues these calls and answers them in order.
  const pull = (upTo: number) => {
    while (!ended && ahead.length < upTo) {
      const next = iterator.next();
      next.then(
        (result) => (ended ||= result.done === true),
        () => (ended = true),
      );
      ahead.push(next);
    }
  };
  try {
    for (;;) {
      pull(1);
      const result = await ahead.shift()!;
      if (result.done) return;
      // Asked for before the item is handed over, so they are read while the consumer works on it.
      pull(limit);
      yield result.value;
    }
  } finally {
    // Not awaited: the calls queued ahead would hold a stopping consumer until they were answered.
    iterator.return?.().catch(() => undefined);
  }
}
