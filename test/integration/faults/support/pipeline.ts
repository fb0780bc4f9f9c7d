import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { peekAll } from '../../support/queues';

/** What the fault scenarios read and call: the API, the tables and the queues of one deployment. */
export interface Deployment {
  readonly outputs: Readonly<Record<string, string>>;
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
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
    const page = await d.dynamo.send(new QueryCommand({
      TableName: d.outputs[table],
      KeyConditionExpression: '#k = :v',
      ExpressionAttributeNames: { '#k': key },
      ExpressionAttributeValues: { ':v': value },
      ConsistentRead: true,
      ExclusiveStartKey: start,
    }));
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
  const balanceRight = balance !== undefined && last !== undefined && Number(balance.version) === last.version && Number(balance.balance) === folded.get(last.version);
  return { events, rows, balance, applied, duplicates: wrong, balanceRight, converged: balanceRight && applied === events.length && wrong === 0 };
}

/** Every message in a queue, read without consuming it (see `peekAll`). */
export function drainPeek(d: Deployment, queueUrl: string): Promise<Array<{ messageId: string; body: any }>> {
  return peekAll(queueUrl, d.sqs);
}

/** Visible + in-flight messages of a queue. */
export async function queueDepth(d: Deployment, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await d.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }));
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
}

/**
 * The stream sequence numbers a DLQ message names, whichever shape it has: the event source
 * mapping's failure record (`KinesisBatchInfo` / `DDBStreamBatchInfo` start and end) or a
 * consumer's own `{reason, record}` (any `sequenceNumber` / `SequenceNumber` inside it).
 */
export function dlqSequenceNumbers(body: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value === 'string') {
      // A record carried as JSON text.
      if (value.startsWith('{') || value.startsWith('[')) {
        try {
          visit(JSON.parse(value));
        } catch {
          // not JSON
        }
      }
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (/^(startSequenceNumber|endSequenceNumber|sequenceNumber|SequenceNumber)$/.test(key) && typeof inner === 'string') found.add(inner);
      else visit(inner);
    }
  };
  visit(body);
  return found;
}

export { uniqueId } from '../../support/accounts';
