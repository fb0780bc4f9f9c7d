/**
 * Wake-ups: the mapping pollers subscribe here to hear of each successful write to a stream source
 * (Kinesis PutRecord(s), a DynamoDB item write) that passed through the endpoint, so they read
 * new records at once instead of waiting for their next poll. A write names where it landed: the
 * stream or tables of its request and, for Kinesis, the shards of its answer, so only those
 * readers wake: a PutRecords to one shard of a four-shard stream read by four mappings wakes four
 * readers, not sixteen, and a write to a table without a mapping wakes none (each needless read is
 * a round trip that the reads that matter queue behind).
 */
import type { SourceWrite, WrittenPlace } from '../model';

export type { WrittenPlace } from '../model';

/** Hears of a write and where it landed. */
export type SourceWriteListener = (write: SourceWrite, place?: WrittenPlace) => void;

export class SourceWriteListeners {
  private readonly listeners = new Set<SourceWriteListener>();

  /** Calls `listener` after each successful write to a stream source; returns the unsubscribe function. */
  subscribe(listener: SourceWriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(write: SourceWrite, place?: WrittenPlace): void {
    this.listeners.forEach((listener) => listener(write, place));
  }
}

/**
 * The shard ids a Kinesis PutRecord or PutRecords answer (JSON) names: `ShardId`, or each
 * `Records[].ShardId` of the records Kinesis took. Undefined when the body is not such an answer,
 * so the caller wakes every reader rather than miss one.
 *
 * @example
 * writtenShardIds('{"FailedRecordCount":0,"Records":[{"ShardId":"shardId-000000000002","SequenceNumber":"4"}]}') // ['shardId-000000000002']
 */
export function writtenShardIds(body: string): string[] | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (answer === null || typeof answer !== 'object') return undefined;
  const { ShardId, Records } = answer as { ShardId?: unknown; Records?: unknown };
  if (typeof ShardId === 'string') return [ShardId];
  if (!Array.isArray(Records)) return undefined;
  const ids = new Set<string>();
  for (const record of Records) {
    const id = record !== null && typeof record === 'object' ? (record as { ShardId?: unknown }).ShardId : undefined;
    if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

/** Requests over this size are not searched for the names they write to (their readers all wake). */
export const NAMED_BODY_LIMIT = 1024 * 1024;

/**
 * The streams or tables a Kinesis or DynamoDB write request names: `StreamName`/`StreamARN`
 * (PutRecord, PutRecords), each `TableName` (PutItem, UpdateItem, DeleteItem, TransactWriteItems),
 * the `RequestItems` keys (BatchWriteItem); an ARN stands for its name. Undefined when the body
 * names none or is not JSON, so the caller wakes every reader rather than miss one. A string value
 * that merely looks like such a field can only add a name, never hide the real one.
 *
 * @example
 * writtenSources('dynamodb', '{"TableName":"events","Item":{}}') // ['events']
 */
export function writtenSources(write: SourceWrite, body: string): string[] | undefined {
  if (body.length > NAMED_BODY_LIMIT) return undefined;
  const names = new Set<string>();
  const field = write === 'kinesis' ? /"Stream(?:Name|ARN)"\s*:\s*"([^"\\]+)"/g : /"TableName"\s*:\s*"([^"\\]+)"/g;
  for (const match of body.matchAll(field)) names.add(nameOf(match[1]));
  if (write === 'dynamodb' && body.includes('"RequestItems"')) {
    const tables = requestItemTables(body);
    if (!tables) return undefined;
    tables.forEach((table) => names.add(nameOf(table)));
  }
  return names.size > 0 ? [...names] : undefined;
}

/** The tables of a BatchWriteItem body, undefined when it cannot be read. */
function requestItemTables(body: string): string[] | undefined {
  try {
    const items = (JSON.parse(body) as { RequestItems?: unknown }).RequestItems;
    return items !== null && typeof items === 'object' ? Object.keys(items) : undefined;
  } catch {
    return undefined;
  }
}

/** `arn:…:table/NAME` or `arn:…:stream/NAME` → `NAME`; a plain name as it is. */
function nameOf(nameOrArn: string): string {
  const arn = /^arn:[^:]+:(?:dynamodb|kinesis):[^:]*:[^:]*:(?:table|stream)\/([^/]+)/.exec(nameOrArn);
  return arn ? arn[1] : nameOrArn;
}
