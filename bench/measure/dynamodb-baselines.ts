/**
 * The DynamoDB baselines: the smallest paths through the same endpoint the pipeline uses, so
 * the pipeline's figures can be read as multiples of what the emulator itself does right now.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, type BenchClients, createBenchTable, deleteBenchTable } from '../lib/aws';
import { ratePerSecond, summarize, type Summary } from '../lib/stats';
import { now } from '../lib/util';

export interface RoundTripResult {
  /** PutItem + consistent GetItem of the same item, one after the other, per iteration. */
  readonly summary: Summary;
}

/** Sequential PutItem + GetItem (consistent) round trips on a fresh table: the floor under any command → read. */
export async function measureDynamoRoundTrip(clients: BenchClients, runId: string, iterations = 200): Promise<RoundTripResult> {
  const table = `sluice-bench-${runId}-roundtrip`;
  await createBenchTable(clients.dynamo, table, [{ name: 'pk', type: 'S', key: 'HASH' }]);
  try {
    const samples: number[] = [];
    for (let i = 0; i < iterations + 10; i++) {
      const pk = `item-${i % 50}`;
      const t0 = now();
      await clients.doc.send(new PutCommand({ TableName: table, Item: { pk, version: i, balance: i * 100, updatedAt: new Date().toISOString() } }));
      await clients.doc.send(new GetCommand({ TableName: table, Key: { pk }, ConsistentRead: true }));
      if (i >= 10) samples.push(now() - t0); // the first ten warm up connections
    }
    return { summary: summarize(samples) };
  } finally {
    await deleteBenchTable(clients.dynamo, table);
  }
}

/** A row shaped like a read-model transaction row (same attributes and sizes). */
export function transactionLikeItem(i: number): Record<string, unknown> {
  return {
    accountId: `bench-baseline-${i % 100}`,
    version: Math.floor(i / 100) + 1,
    eventId: `01JBENCH${String(i).padStart(18, '0')}`,
    kind: 'deposit',
    amount: 100 + (i % 900),
    balanceAfter: 1000 + i,
    time: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
  };
}

/** Raw BatchWriteItem items/s into a fresh table, `concurrency` calls in flight. */
export async function measureBatchWrite(clients: BenchClients, runId: string, items = 2000, concurrency = 4): Promise<number> {
  const table = `sluice-bench-${runId}-batchwrite`;
  await createBenchTable(clients.dynamo, table, [{ name: 'accountId', type: 'S', key: 'HASH' }, { name: 'version', type: 'N', key: 'RANGE' }]);
  try {
    await batchWriteAll(clients.doc, table, Array.from({ length: 100 }, (_, i) => transactionLikeItem(1_000_000 + i)), concurrency); // warm-up
    const rows = Array.from({ length: items }, (_, i) => transactionLikeItem(i));
    const t0 = now();
    await batchWriteAll(clients.doc, table, rows, concurrency);
    return ratePerSecond(items, now() - t0);
  } finally {
    await deleteBenchTable(clients.dynamo, table);
  }
}
