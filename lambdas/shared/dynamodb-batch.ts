import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { mapWithConcurrency } from './batch/bounded-concurrency';

type Item = Record<string, NativeAttributeValue>;

/** BatchWriteItem takes at most 25 put or delete requests per call. */
export const PUTS_PER_BATCH_WRITE = 25;
/** BatchGetItem takes at most 100 keys per call. */
export const KEYS_PER_BATCH_GET = 100;
/** Rounds of unprocessed items or keys asked again before giving up. */
export const BATCH_ROUNDS = 5;

/** How a batch call is run: calls in flight, and the backoff before a round of unprocessed requests. */
export interface BatchCallOptions {
  /** Calls in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Delay before retry round `n` (1-based). @default 20 × 2^n ms */
  readonly backoffMs?: (round: number) => number;
}

const defaultBackoff = (round: number) => 20 * 2 ** round;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits `items` into consecutive slices of at most `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** An item a batch write could not put, and why. */
export interface UnwrittenItem<T extends Item> {
  readonly item: T;
  readonly error: unknown;
}

/**
 * Puts items into one table with BatchWriteItem: 25 per call, a few calls in flight, unprocessed
 * items asked again with a backoff for up to {@link BATCH_ROUNDS} rounds. It never throws: the
 * items of a call that failed (a throttle, a 500) and those still unprocessed after the last
 * round come back with why, so the caller can fail exactly the work they belong to.
 *
 * BatchWriteItem has no conditions: use it only for items whose every write is the same fact
 * (idempotent puts), never for a row guarded by a version.
 *
 * @param keyOf the item's primary key as a string (an unprocessed item comes back as a copy)
 * @example
 * const unwritten = await batchPutItems(client, 'transactions', rows, (row) => `${row.accountId}#${row.version}`);
 */
export async function batchPutItems<T extends Item>(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  items: readonly T[],
  keyOf: (item: Item) => string,
  options: BatchCallOptions & {
    /** Rounds (the first call and its retries) before unprocessed items are given up; a job with no deadline may wait longer. @default BATCH_ROUNDS */
    readonly rounds?: number;
  } = {},
): Promise<UnwrittenItem<T>[]> {
  const backoff = options.backoffMs ?? defaultBackoff;
  const rounds = options.rounds ?? BATCH_ROUNDS;
  const perSlice = await mapWithConcurrency(slices(items, PUTS_PER_BATCH_WRITE), options.concurrency ?? 4, async (slice) => {
    const byKey = new Map(slice.map((item) => [keyOf(item), item]));
    let pending: Item[] = slice;
    for (let round = 0; ; round++) {
      if (round > 0) await pause(backoff(round));
      try {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
        pending = (result.UnprocessedItems?.[tableName] ?? []).flatMap((request) => (request.PutRequest?.Item ? [request.PutRequest.Item] : []));
      } catch (error) {
        return pending.map((item) => ({ item: byKey.get(keyOf(item)) ?? (item as T), error }));
      }
      if (pending.length === 0) return [];
      if (round + 1 >= rounds) {
        const error = new Error(`BatchWriteItem left ${pending.length} item(s) of ${tableName} unprocessed after ${rounds} rounds; retry them later`);
        return pending.map((item) => ({ item: byKey.get(keyOf(item)) ?? (item as T), error }));
      }
    }
  });
  return perSlice.flat();
}

/**
 * Reads items by key from one table with BatchGetItem: 100 keys per call, a few calls in flight,
 * unprocessed keys asked again with a backoff. Absent keys are left out of the answer.
 *
 * @throws the first call's error, or an Error when keys stay unprocessed after {@link BATCH_ROUNDS} rounds
 * @example
 * const rows = await batchGetItems(client, 'balances', [{ accountId: 'a1' }], { consistentRead: true });
 */
export async function batchGetItems(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  keys: readonly Item[],
  options: BatchCallOptions & { readonly consistentRead?: boolean; readonly projection?: string } = {},
): Promise<Item[]> {
  const backoff = options.backoffMs ?? defaultBackoff;
  const { consistentRead = false, projection } = options;
  const perSlice = await mapWithConcurrency(slices(keys, KEYS_PER_BATCH_GET), options.concurrency ?? 4, async (slice) => {
    const found: Item[] = [];
    let pending: Item[] = slice;
    for (let round = 0; pending.length > 0; round++) {
      if (round === BATCH_ROUNDS)
        throw new Error(`BatchGetItem left ${pending.length} key(s) of ${tableName} unprocessed after ${BATCH_ROUNDS} rounds; retry later`);
      if (round > 0) await pause(backoff(round));
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistentRead, ...(projection ? { ProjectionExpression: projection } : {}) } },
        }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
    return found;
  });
  return perSlice.flat();
}
