import { type CreateTableCommandInput, CreateTableCommand, DescribeTableCommand, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchPutItems } from '../lambdas/shared/dynamodb-batch';

/**
 * Creates `newName` with the key schema (and GSIs) of `liveName`, on-demand, and waits until it is active.
 */
export async function createTableLike(ddb: DynamoDBClient, liveName: string, newName: string): Promise<void> {
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName: liveName }));
  if (!Table?.KeySchema || !Table.AttributeDefinitions) throw new Error(`table ${liveName} has no key schema`);
  const input: CreateTableCommandInput = {
    TableName: newName,
    KeySchema: Table.KeySchema,
    AttributeDefinitions: Table.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    ...(Table.GlobalSecondaryIndexes?.length
      ? {
          GlobalSecondaryIndexes: Table.GlobalSecondaryIndexes.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
          })),
        }
      : {}),
  };
  await ddb.send(new CreateTableCommand(input));
  // From 50 ms up, doubling to 2 s: a local table is ACTIVE within milliseconds, where the
  // waiter's 1 s first delay cost a replay most of its time; AWS takes seconds either way.
  await waitUntilTableExists({ client: ddb, maxWaitTime: 120, minDelay: 0.05, maxDelay: 2 }, { TableName: newName });
}

/** Every item of one scan segment (all pages). */
export async function scanSegment(dynamo: DynamoDBDocumentClient, tableName: string, segment: number, totalSegments: number): Promise<Array<Record<string, any>>> {
  const items: Array<Record<string, any>> = [];
  let startKey: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: tableName, Segment: segment, TotalSegments: totalSegments, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Every item of a table, scanned in `segments` parallel segments. */
export async function scanTable(dynamo: DynamoDBDocumentClient, tableName: string, segments = 4): Promise<Array<Record<string, any>>> {
  const parts = await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(dynamo, tableName, segment, segments)));
  return parts.flat();
}

/** BatchWriteItem calls one `batchPut` keeps in flight: enough to hide each call's round trip. */
export const BATCH_WRITE_CONCURRENCY = 8;
/**
 * A job has no deadline, unlike a Lambda: it asks unprocessed items again for up to 9 rounds, the
 * backoff doubling from 100 ms to at most 2 s (about 9 s in all), before it gives up.
 */
const BATCH_WRITE_RETRIES = { rounds: 9, backoffMs: (round: number) => Math.min(2000, 50 * 2 ** round) };

/**
 * Puts items with BatchWriteItem (25 per call, up to `concurrency` calls in flight, every call
 * through `gate`), asking unprocessed items again with backoff: the pipeline's own
 * {@link batchPutItems}, which hands back what it could not write, made into a job's all or nothing.
 * Order does not matter: every item is a whole row.
 *
 * @param keyOf the item's primary key as a string, to name unwritten items in the error
 * @throws Error naming the table, how many items were not written, some of their keys and why
 */
export async function batchPut(
  dynamo: DynamoDBDocumentClient,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
  keyOf: (item: Record<string, unknown>) => string,
  concurrency = BATCH_WRITE_CONCURRENCY,
  gate: Gate = (work) => work(),
): Promise<void> {
  const gated = { send: (command: BatchWriteCommand) => gate(() => dynamo.send(command)) } as Pick<DynamoDBDocumentClient, 'send'>;
  const unwritten = await batchPutItems(gated, tableName, items, keyOf, { concurrency, ...BATCH_WRITE_RETRIES });
  if (unwritten.length === 0) return;
  const reasons = [...new Set(unwritten.map(({ error }) => (error instanceof Error ? error.message : String(error))))];
  const keys = unwritten.slice(0, 5).map(({ item }) => keyOf(item));
  throw new Error(
    `could not write ${unwritten.length} of ${items.length} item(s) into ${tableName} (${keys.join(', ')}${unwritten.length > keys.length ? ', …' : ''}): ${reasons.join('; ')}`,
    { cause: unwritten[0].error },
  );
}

/** Runs `work` when the gate lets it: how several writers share one bound on calls in flight. */
export type Gate = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * A gate that lets at most `limit` pieces of work run at once, the others waiting in order: one
 * gate shared by every `batchPut` of a job bounds the job's BatchWriteItem calls in flight, however
 * many segments and tables write at the same time.
 *
 * @example
 * const gate = concurrencyGate(8);
 * await Promise.all([batchPut(doc, a, rowsA, keyOfA, 8, gate), batchPut(doc, b, rowsB, keyOfB, 8, gate)]); // at most 8 calls in flight
 */
export function concurrencyGate(limit: number): Gate {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** Runs `work` over items with at most `limit` in flight. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}
