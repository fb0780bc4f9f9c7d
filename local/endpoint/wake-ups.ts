/**
 * Wake-ups: the mapping pollers subscribe here to hear of each successful write to a stream source
 * (Kinesis PutRecord(s), a DynamoDB item write) that passed through the endpoint, so they read
 * new records at once instead of waiting for their next poll. A Kinesis write names the shards it
 * wrote (from its answer), so only those shards' readers wake: a PutRecords to one shard of a
 * four-shard stream read by four mappings wakes four readers, not sixteen.
 */
import type { SourceWrite } from '../model';

/** Hears of a write; `shardIds`: the shards written, undefined when unknown (wake every reader of that source). */
export type SourceWriteListener = (write: SourceWrite, shardIds?: readonly string[]) => void;

export class SourceWriteListeners {
  private readonly listeners = new Set<SourceWriteListener>();

  /** Calls `listener` after each successful write to a stream source; returns the unsubscribe function. */
  subscribe(listener: SourceWriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(write: SourceWrite, shardIds?: readonly string[]): void {
    this.listeners.forEach((listener) => listener(write, shardIds));
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
