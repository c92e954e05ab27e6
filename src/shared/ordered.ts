// Bounded-concurrency map over a list that yields results in input order, so batch commands
// keep every core busy and still print one line per file in the order given.

/** Runs `fn` over items with at most `width` in flight, yielding results in input order. */
export async function* ordered<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): AsyncGenerator<{ item: T; result: R | Error }> {
  const inflight: Array<Promise<R | Error>> = [];
  let next = 0;
  const start = () => {
    const item = items[next++]!;
    inflight.push(fn(item).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
  };
  while (next < items.length && inflight.length < width) start();
  for (let i = 0; i < items.length; i++) {
    const result = await inflight.shift()!;
    if (next < items.length) start();
    yield { item: items[i]!, result };
  }
}
