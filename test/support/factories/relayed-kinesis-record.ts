/**
 * The Kinesis records the outbox relay publishes for stored events, made by the relay itself:
 * each store item becomes an event store stream record (the local cloud's DynamoDB Streams
 * mapping), runs through `relayStreamRecords` (the relay's handler logic) and the real
 * `KinesisPublisher`, whose PutRecords call is captured here instead of sent. Tests that put a
 * stored event on the stream again (at-least-once delivery, a replay) use this, so their records
 * cannot drift from what the relay sends.
 */
import type { PutRecordsEntry, PutRecordsEntryResult, PutRecordsPort } from '../../../lambdas/shared/kinesis';
import { KinesisPublisher } from '../../../lambdas/shared/kinesis';
import { relayStreamRecords } from '../../../lambdas/outbox-relay/relay';
import { eventStoreStreamRecord } from './event-store-stream-record';

/** A PutRecords entry in the SDK's shape, ready for `PutRecordsCommand`. */
export interface KinesisPutEntry {
  readonly PartitionKey: string;
  readonly Data: Uint8Array;
}

/** Keeps what the publisher would send and answers every entry as written. */
class CapturingPutRecords implements PutRecordsPort {
  readonly sent: PutRecordsEntry[] = [];

  async putRecords(entries: readonly PutRecordsEntry[]): Promise<PutRecordsEntryResult[]> {
    this.sent.push(...entries);
    return entries.map((_, i) => ({ sequenceNumber: String(this.sent.length - entries.length + i), shardId: 'shardId-000000000000' }));
  }
}

/**
 * The PutRecords entries the relay sends for these event store items, in the order it sends them
 * (for one account: the order given).
 *
 * @param items stored items, plain (as the document client reads them) or as attribute values
 * @example
 * await kinesis.send(new PutRecordsCommand({ StreamName, Records: await relayedKinesisRecords(await storedEvents(id)) }));
 * @throws Error with the relay's logged errors when it would not publish every item (not a stored event)
 */
export async function relayedKinesisRecords(items: readonly Record<string, unknown>[]): Promise<KinesisPutEntry[]> {
  const port = new CapturingPutRecords();
  const problems: unknown[] = [];
  const record = (...args: unknown[]) => void problems.push(args);
  const records = items.map((item, i) => eventStoreStreamRecord(item, { sequenceNumber: String(900000000000000000001n + BigInt(i)) }));
  const { batchItemFailures } = await relayStreamRecords(records, {
    publisher: new KinesisPublisher(port),
    logger: { debug: () => undefined, info: () => undefined, warn: record, error: record },
  });
  if (batchItemFailures.length > 0 || port.sent.length !== items.length) {
    throw new Error(`relayedKinesisRecords: the relay published ${port.sent.length} of ${items.length} items; it logged ${JSON.stringify(problems)}`);
  }
  return port.sent.map((entry) => ({ PartitionKey: entry.partitionKey, Data: entry.data }));
}
