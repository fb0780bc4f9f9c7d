/**
 * Splits records into publish rounds so that no round holds two records with the same partition key.
 *
 * Round `n` holds the `n`-th record of every key, in input order. Publishing round by round — and
 * retrying a round's failures before the next round starts — means a retried record can never
 * land after a later record of the same account, which a single PutRecords call with retries could do.
 *
 * @param partitionKeys the partition key of each record, in stream order
 * @returns the record indexes of each round, each round in ascending index order
 * @example
 * planPublishRounds(['a', 'a', 'b', 'a', 'c']) // [[0, 2, 4], [1], [3]]
 */
export function planPublishRounds(partitionKeys: readonly string[]): number[][] {
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  partitionKeys.forEach((key, index) => {
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(index);
  });
  return rounds;
}
