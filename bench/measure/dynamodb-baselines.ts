/**
 * The DynamoDB baselines: the smallest paths through the same endpoint the pipeline uses, so
 * the pipeline's figures can be read as multiples of what the emulator itself does right now.
 */
import { batchWriteAll, type BenchClients, createBenchTable, deleteBenchTable } from '../lib/aws';
import { ratePerSecond } from '../lib/stats';
import { now } from '../lib/util';

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
  await createBenchTable(clients.dynamo, table, [
    { name: 'accountId', type: 'S', key: 'HASH' },
    { name: 'version', type: 'N', key: 'RANGE' },
  ]);
  try {
    await batchWriteAll(
      clients.doc,
      table,
      Array.from({ length: 100 }, (_, i) => transactionLikeItem(1_000_000 + i)),
      concurrency,
    ); // warm-up
    const rows = Array.from({ length: items }, (_, i) => transactionLikeItem(i));
    const t0 = now();
    await batchWriteAll(clients.doc, table, rows, concurrency);
    return ratePerSecond(items, now() - t0);
  } finally {
    await deleteBenchTable(clients.dynamo, table);
  }
}
