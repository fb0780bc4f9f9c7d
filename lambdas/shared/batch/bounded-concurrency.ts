/**
 * Runs `work` on every item with at most `limit` of them in flight, and returns the results in
 * the items' order. Each item's work should not throw (collect failures in its result): a throw
 * rejects the whole call once the items in flight have finished.
 *
 * A batch handler writes different keys (accounts, cards) in parallel this way, so one slow key
 * costs one round trip, not the sum of all, while the function never opens more than `limit`
 * requests at once (the SDK's socket pool and the table's per-key limits stay calm).
 *
 * @example
 * const outcomes = await mapWithConcurrency(groups, 8, (group) => projectGroup(group));
 * @throws {RangeError} when `limit` is not a positive integer.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer (got ${limit})`);
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
