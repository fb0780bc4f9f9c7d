/**
 * Where one record of a publish landed: its partition key, and its shard and sequence number
 * when Kinesis took it (undefined when it failed).
 */
export interface Landing {
  readonly partitionKey: string;
  readonly shardId?: string;
  readonly sequenceNumber?: string;
}

/**
 * The records to publish again so that each account's last copy on the stream is in stream order.
 *
 * The relay puts a whole batch, several records per account, in one PutRecords call: Kinesis
 * writes one shard's records in request order, so an account (one partition key, one shard) stays
 * in order, unless a record failed and its retry landed after a later record of its account. Its
 * sequence number then is above the later one's. From the first record of a key that landed below
 * an earlier record of that key (same shard), every later landed record of that key is returned,
 * so it goes out again after the retried one. Records on different shards (a reshard between
 * attempts) are not compared: consumers read a parent shard before its children.
 *
 * @param landings every record of the publish, in stream order
 * @returns indexes into `landings`, ascending
 * @example
 * // acc-a@1 failed once and landed after acc-a@2 (seq 7 > 5): acc-a@2 goes out again.
 * overtakenRecords([{ partitionKey: 'a', shardId: 's', sequenceNumber: '7' }, { partitionKey: 'a', shardId: 's', sequenceNumber: '5' }]) // [1]
 */
export function overtakenRecords(landings: readonly Landing[]): number[] {
  const highest = new Map<string, { shardId: string; sequence: bigint }>();
  const overtakenKeys = new Set<string>();
  const again: number[] = [];
  landings.forEach((landing, index) => {
    if (landing.shardId === undefined || landing.sequenceNumber === undefined) return;
    const key = landing.partitionKey;
    const sequence = BigInt(landing.sequenceNumber);
    const before = highest.get(key);
    if (before && before.shardId === landing.shardId && sequence < before.sequence) overtakenKeys.add(key);
    if (overtakenKeys.has(key)) again.push(index);
    if (!before || before.shardId !== landing.shardId || sequence > before.sequence) highest.set(key, { shardId: landing.shardId, sequence });
  });
  return again;
}
