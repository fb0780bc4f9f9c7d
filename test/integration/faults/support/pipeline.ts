import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ShardRecord } from '../../../support/factories/lambda-events';
import { peekAll } from '../../support/queues';
import { readWholeStreamRaw } from '../../support/stream';
import { namesAnyOf, type StreamPosition } from './dead-letter-ranges';

/** What the fault scenarios read and call: the API, the tables and the queues of one deployment. */
export interface Deployment {
  readonly outputs: Readonly<Record<string, string>>;
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly kinesis: KinesisClient;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export interface StoredEvent {
  readonly version: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, any>;
}

export interface TransactionRow {
  readonly accountId: string;
  readonly version: number;
  readonly eventId: string;
  readonly kind: string;
  readonly amount?: number;
  readonly balanceAfter: number;
}

async function queryAll(d: Deployment, table: string, key: string, value: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await d.dynamo.send(
      new QueryCommand({
        TableName: d.outputs[table],
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': key },
        ExpressionAttributeValues: { ':v': value },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The account's events in the event store, in version order. */
export async function storedEvents(d: Deployment, accountId: string): Promise<StoredEvent[]> {
  const items = await queryAll(d, 'EventStoreTableName', 'streamId', `account#${accountId}`);
  return items.map((i) => ({ version: Number(i.version), eventId: i.eventId, type: i.type, data: i.data })).sort((a, b) => a.version - b.version);
}

/** The account's rows in the transactions read model, in version order. */
export async function transactionRows(d: Deployment, accountId: string): Promise<TransactionRow[]> {
  const items = await queryAll(d, 'TransactionsTableName', 'accountId', accountId);
  return (items as TransactionRow[]).map((i) => ({ ...i, version: Number(i.version) })).sort((a, b) => a.version - b.version);
}

export async function balanceRow(d: Deployment, accountId: string): Promise<Record<string, any> | undefined> {
  return (await d.dynamo.send(new GetCommand({ TableName: d.outputs.BalancesTableName, Key: { accountId }, ConsistentRead: true }))).Item;
}

export async function replicaRow(d: Deployment, accountId: string): Promise<Record<string, any> | undefined> {
  return (await d.dynamo.send(new GetCommand({ TableName: d.outputs.ReplicaTableName, Key: { accountId }, ConsistentRead: true }))).Item;
}

/** Balance after each version: the fold of the account's events (`opened` 0, `deposited` +, `withdrawn` −). */
export function foldBalances(events: readonly StoredEvent[]): Map<number, number> {
  const after = new Map<number, number>();
  let balance = 0;
  for (const event of events) {
    if (event.type.includes('.deposited.')) balance += Number(event.data.amount);
    else if (event.type.includes('.withdrawn.')) balance -= Number(event.data.amount);
    after.set(event.version, balance);
  }
  return after;
}

/**
 * Compares the read model with the event store: one transaction row per stored event (same
 * version and event id) with the folded balance, and the balances row at the last version.
 *
 * @returns `applied` = rows that match their event, `duplicates` = rows or balances showing an effect taken twice or wrongly
 */
export async function readModelVersusStore(d: Deployment, accountId: string) {
  const [events, rows, balance] = await Promise.all([storedEvents(d, accountId), transactionRows(d, accountId), balanceRow(d, accountId)]);
  const folded = foldBalances(events);
  const byVersion = new Map(events.map((e) => [e.version, e]));
  let applied = 0;
  let wrong = 0;
  for (const row of rows) {
    const event = byVersion.get(row.version);
    if (event && event.eventId === row.eventId && folded.get(row.version) === Number(row.balanceAfter)) applied += 1;
    else wrong += 1;
  }
  const last = events[events.length - 1];
  const balanceRight =
    balance !== undefined && last !== undefined && Number(balance.version) === last.version && Number(balance.balance) === folded.get(last.version);
  return { events, rows, balance, applied, duplicates: wrong, balanceRight, converged: balanceRight && applied === events.length && wrong === 0 };
}

/** Visible + in-flight + delayed messages of a queue, by the queue's own attributes. */
export async function queueDepth(d: Deployment, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await d.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/**
 * Every message in a queue, read without consuming it (see `peekAll`), and proven whole: the
 * number read must reach what the queue's own attributes count, so a message hidden from the
 * read (in flight elsewhere, past a read limit) fails the test instead of going uncounted.
 *
 * @throws Error naming the queue and both numbers when the read saw fewer messages than the queue holds
 */
export async function readWholeQueue(d: Deployment, queueUrl: string): Promise<Array<{ messageId: string; body: any }>> {
  const held = await queueDepth(d, queueUrl);
  const messages = await peekAll(queueUrl, d.sqs);
  if (messages.length < held) {
    throw new Error(
      `${queueUrl} holds ${held} message(s) by its attributes but a full read saw ${messages.length}: a count from a partial read is no count (is something else receiving from it?)`,
    );
  }
  return messages;
}

/** The output names of every DLQ of the deployment (stream mappings' on-failure queues and queues' redrive DLQs): each output ending in `DlqUrl`. */
export function dlqOutputs(d: Deployment): string[] {
  const names = Object.keys(d.outputs)
    .filter((name) => name.endsWith('DlqUrl'))
    .sort();
  if (names.length === 0) throw new Error(`the deployment has no *DlqUrl outputs (have ${Object.keys(d.outputs).join(', ')})`);
  return names;
}

/** What a scenario put through the pipeline: stream records (matched by range) and account ids (matched in a message's text). */
export interface Subjects {
  readonly positions?: readonly StreamPosition[];
  readonly accountIds?: readonly string[];
}

/**
 * How many messages of each DLQ are about the subjects, from a full read of each queue: a stream
 * record counts when any range a message names covers it (see `namesAnyOf`), an account when a
 * message's text names it (a dead-lettered notification, state-changed message or outbox record).
 */
export async function deadLettersAbout(d: Deployment, subjects: Subjects, dlqs: readonly string[] = dlqOutputs(d)): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const dlq of dlqs) {
    const messages = await readWholeQueue(d, d.outputs[dlq]);
    counts[dlq] = messages.filter((m) => isAbout(m.body, subjects)).length;
  }
  return counts;
}

function isAbout(body: unknown, { positions = [], accountIds = [] }: Subjects): boolean {
  if (positions.length > 0 && namesAnyOf(body, positions)) return true;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return accountIds.some((accountId) => text.includes(accountId));
}

/** Sum of `deadLettersAbout`'s counts. */
export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** The records on the events stream with these partition keys (account ids, card ids), with their shards, oldest first per shard. */
export async function streamRecordsOf(d: Deployment, partitionKeys: readonly string[]): Promise<ShardRecord[]> {
  const keys = new Set(partitionKeys);
  return (await readWholeStreamRaw(d.outputs.EventsStreamName, d.kinesis)).filter(({ record }) => keys.has(record.PartitionKey ?? ''));
}

/** The positions (shard, sequence number) of stream records. */
export function positionsOf(records: readonly ShardRecord[]): StreamPosition[] {
  return records.map(({ shardId, record }) => ({ shardId, sequenceNumber: record.SequenceNumber! }));
}

/**
 * The stored events of an account that the outbox relay never put on the stream (by event id).
 * The projector fills gaps from the event store, so a read model that converged does not show a
 * lost publish; this does.
 */
export function unpublished(events: readonly StoredEvent[], records: readonly ShardRecord[]): string[] {
  const published = new Set(records.map(({ record }) => envelopeId(record.Data)));
  return events.filter((e) => !published.has(e.eventId)).map((e) => e.eventId);
}

function envelopeId(data: Uint8Array | undefined): string | undefined {
  try {
    return JSON.parse(Buffer.from(data ?? new Uint8Array()).toString('utf8')).id;
  } catch {
    return undefined; // a poison record
  }
}

export { uniqueId } from '../../support/accounts';
