/** Visible and in-flight messages of every queue of the app, read from the emulator. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueCounts, type QueueCounts } from '../../../cli/queues';
import type { LocalQueue } from '../../model';

/** Counts per queue name; a queue the emulator cannot answer for counts as empty (the topology must still draw). */
export async function countQueues(sqs: SQSClient, queues: readonly LocalQueue[]): Promise<Map<string, QueueCounts>> {
  const counted = await Promise.all(
    queues.map(async (queue) => [queue.queueName, await queueCounts(sqs, queue.url).catch(() => ({ visible: 0, inFlight: 0, delayed: 0 }))] as const),
  );
  return new Map(counted);
}
