/**
 * `collectTrace`: every hop sluice can find for an event id or a trace id, read from where each
 * hop leaves a timestamp: the event store (the event's append time), the events stream (Kinesis
 * ApproximateArrivalTimestamp), the read model (the transaction row's `projectedAt`), the replica
 * (`replicatedAt` of the row at that version), the delivery log (`deliveredAt`), and the two queues
 * (the `SentTimestamp` of the message, kept as `queuedAt` by the worker and the replica). It works the
 * same on the local cloud and on a deployed stage (it only needs the stack outputs and SDK clients).
 *
 * Used by `sluice trace` and the console's `GET /_sluice/console/api/trace/<id>`.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { TraceAnswer } from '../../local/console/contract';
import { traceIdOf } from '../../lambdas/shared/trace-context';
import { listShards, recordJson, ShardReader } from '../stream';
import { assembleTrace, type FoundHop, ulidTime } from './timeline';

/** What the collector reads with: the stack outputs and SDK clients (a `CliContext` is one). */
export interface TraceTarget {
  /** A stack output's value (throws naming the output when it is missing). */
  output(name: string): string;
  readonly dynamo: DynamoDBDocumentClient;
  readonly kinesis: KinesisClient;
}

export interface CollectTraceOptions {
  /**
   * How far before the event (by its id's time) the stream is read; a trace id with no stored
   * event is looked for from the stream's oldest record.
   * @default 60_000
   */
  readonly streamLeadMs?: number;
  /** Stop reading the stream after this many records (a deployed stream can hold a day of them). @default 100_000 */
  readonly maxStreamRecords?: number;
}

/** Nothing in the store or on the stream carries the id. */
export class TraceNotFoundError extends Error {
  public override readonly name = 'TraceNotFoundError';
  public constructor(public readonly id: string) {
    super(
      `no event in the event store or on the events stream has the ${traceIdOf(id) ? 'trace' : 'event'} id ${id}; ` +
        'give an event id (a ULID, as POST answers it) or a trace id / traceparent (as the API answers it in its traceparent header)',
    );
  }
}

/** One event of the trace as the store or the stream showed it. */
interface TracedEvent {
  readonly id: string;
  readonly type?: string;
  readonly subject?: string;
  readonly version?: number;
  readonly traceparent?: string;
}

/**
 * Every hop found for `id`: an event id (one event's path) or a trace id / whole traceparent
 * (every event of that trace: a deposit, a swipe and the fraud alert it caused…).
 *
 * @example
 * const answer = await collectTrace(ctx, '4bf92f3577b34da6a3ce929d0e0e4736');
 * answer.hops // [{ hop: 'append', at: '…', latencyMs: null, source: 'event store' }, { hop: 'stream', … }, …]
 * @throws {TraceNotFoundError} when neither the store nor the stream has an event with that id.
 */
export async function collectTrace(target: TraceTarget, id: string, options: CollectTraceOptions = {}): Promise<TraceAnswer> {
  const traceId = traceIdOf(id);
  const wanted = traceId ? { traceId } : { eventId: id.trim() };
  const found: FoundHop[] = [];
  const events = new Map<string, TracedEvent>();

  const stored = await storedEvents(target, wanted);
  for (const item of stored) {
    const event: TracedEvent = {
      id: item.eventId,
      type: item.type,
      subject: item.metadata?.subject,
      version: item.version,
      traceparent: item.metadata?.traceparent,
    };
    events.set(event.id, event);
    found.push({
      hop: 'append',
      at: Date.parse(item.time),
      source: 'event store',
      eventId: event.id,
      eventType: event.type,
      detail: `${item.streamId} v${item.version}`,
    });
  }

  const earliest = Math.min(
    ...[...events.keys(), ...(wanted.eventId ? [wanted.eventId] : [])].map((eventId) => ulidTime(eventId) ?? Number.NaN).filter(Number.isFinite),
  );
  const from = Number.isFinite(earliest) ? new Date(earliest - (options.streamLeadMs ?? 60_000)) : undefined;
  for (const seen of await streamRecords(target, wanted, events, from, options.maxStreamRecords ?? 100_000)) {
    if (!events.has(seen.event.id)) events.set(seen.event.id, seen.event);
    found.push({ hop: 'stream', at: seen.arrivedAt, source: 'events stream', eventId: seen.event.id, eventType: seen.event.type, detail: seen.shardId });
  }

  if (events.size === 0) throw new TraceNotFoundError(id);
  for (const event of events.values()) found.push(...(await downstreamHops(target, event)));
  return assembleTrace(id.trim(), traceId ?? traceIdOf(events.get(wanted.eventId ?? '')?.traceparent ?? ''), found);
}

interface StoredItem {
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  time: string;
  metadata?: { subject?: string; traceparent?: string };
}

/**
 * The store items of the event or the trace. The store's key is (stream, version), so this is a
 * filtered Scan: fine for a diagnostic tool, and paid per item read on a deployed stage.
 */
async function storedEvents(target: TraceTarget, wanted: { traceId?: string; eventId?: string }): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let startKey: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await target.dynamo.send(
      new ScanCommand({
        TableName: target.output('EventStoreTableName'),
        ...(wanted.traceId
          ? { FilterExpression: 'contains(metadata.traceparent, :traceId)', ExpressionAttributeValues: { ':traceId': wanted.traceId } }
          : { FilterExpression: 'eventId = :eventId', ExpressionAttributeValues: { ':eventId': wanted.eventId } }),
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as StoredItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The records of the events stream that carry one of the events (or the trace), with when each arrived. */
async function streamRecords(
  target: TraceTarget,
  wanted: { traceId?: string; eventId?: string },
  known: ReadonlyMap<string, TracedEvent>,
  from: Date | undefined,
  maxRecords: number,
): Promise<Array<{ event: TracedEvent; arrivedAt: number; shardId: string }>> {
  const streamName = target.output('EventsStreamName');
  const shards = await listShards(target.kinesis, streamName);
  const seen: Array<{ event: TracedEvent; arrivedAt: number; shardId: string }> = [];
  let read = 0;
  for (const shard of shards) {
    const reader = await ShardReader.open(target.kinesis, streamName, shard.ShardId!, from ? { type: 'AT_TIMESTAMP', timestamp: from } : { type: 'TRIM_HORIZON' });
    while (!reader.closed && !reader.caughtUp && read < maxRecords) {
      const records = await reader.next();
      read += records.length;
      for (const record of records) {
        const envelope = recordJson(record);
        if (!envelope || typeof envelope.id !== 'string') continue;
        const matches = wanted.traceId
          ? typeof envelope.traceparent === 'string' && traceIdOf(envelope.traceparent) === wanted.traceId
          : envelope.id === wanted.eventId || known.has(envelope.id);
        if (!matches) continue;
        seen.push({
          event: { id: envelope.id, type: envelope.type, subject: envelope.subject, version: envelope.streamversion, traceparent: envelope.traceparent },
          arrivedAt: record.ApproximateArrivalTimestamp?.getTime() ?? Date.parse(envelope.time),
          shardId: reader.shardId,
        });
      }
    }
  }
  return seen;
}

/** The read model's, the replica's and the delivery log's timestamps for one account event. */
async function downstreamHops(target: TraceTarget, event: TracedEvent): Promise<FoundHop[]> {
  if (!event.subject || event.version === undefined || !event.type?.startsWith('sluice.account.')) return [];
  const hops: FoundHop[] = [];
  const base = { eventId: event.id, eventType: event.type };
  const get = async (table: string, key: Record<string, unknown>) => (await target.dynamo.send(new GetCommand({ TableName: target.output(table), Key: key }))).Item;

  const transaction = await get('TransactionsTableName', { accountId: event.subject, version: event.version });
  if (transaction?.eventId === event.id && typeof transaction.projectedAt === 'string') {
    hops.push({ ...base, hop: 'projector', at: Date.parse(transaction.projectedAt), source: 'read model (transactions.projectedAt)' });
  }
  const delivery = await get('DeliveriesTableName', { notificationId: event.id });
  if (typeof delivery?.queuedAt === 'string') {
    hops.push({ ...base, hop: 'notifier', at: Date.parse(delivery.queuedAt), source: 'notifications queue (SentTimestamp)' });
  }
  if (typeof delivery?.deliveredAt === 'string') {
    hops.push({ ...base, hop: 'worker', at: Date.parse(delivery.deliveredAt), source: 'delivery log (deliveredAt)', detail: `to ${delivery.target}` });
  }
  const replica = await get('ReplicaTableName', { accountId: event.subject });
  if (replica?.version === event.version && typeof replica.queuedAt === 'string') {
    hops.push({ ...base, hop: 'state-transfer', at: Date.parse(replica.queuedAt), source: 'state queue (SentTimestamp)' });
  }
  if (replica?.version === event.version && typeof replica.replicatedAt === 'string') {
    hops.push({ ...base, hop: 'replica', at: Date.parse(replica.replicatedAt), source: 'replica (replicatedAt)' });
  }
  return hops;
}
