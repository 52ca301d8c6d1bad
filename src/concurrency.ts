/**
 * A bounded pool of workers that keeps the order of its input: the probe and the audit run many
 * buckets at once with it, a few at a time.
 * @see https://nodejs.org/api/globals.html#promise
 */

/**
 * Applies `fn` to every item, at most `width` at once; results come back in the items' order.
 * Rejects when `fn` does (callers that must not reject catch inside `fn`).
 * @param items - the inputs
 * @param width - how many run at once; at least one runs
 * @param fn - the work for one item, given its index
 * @param onStart - called as each item starts, with its index and how many items are done
 * @returns one result per item, in order
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  width: number,
  fn: (item: T, index: number) => Promise<R>,
  onStart?: (item: T, index: number, done: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      onStart?.(item, index, done);
      results[index] = await fn(item, index);
      done += 1;
    }
  };
  const workers = Math.max(1, Math.min(width, items.length));

  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
