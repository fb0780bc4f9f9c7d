import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../shared/event-store/port';
import { parseStoredEvent } from '../shared/event-store/stored-event';
import type { StoredEventBatchReader, StoredEventKey } from './prefetched-events';

/** BatchGetItem takes at most 100 keys per request. */
const KEYS_PER_REQUEST = 100;
/** Rounds of UnprocessedKeys retried before giving up (the batch record then fails and is retried). */
const MAX_ROUNDS = 5;

/**
 * Stored events by key from the event store table with BatchGetItem (consistent reads, 100 keys
 * per request, unprocessed keys asked again with a short backoff).
 *
 * @example
 * await new DynamoDbStoredEventReader(client, table).readEvents([{ streamId: 'account#a1', version: 3 }])
 */
export class DynamoDbStoredEventReader implements StoredEventBatchReader {
  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async readEvents(keys: readonly StoredEventKey[]): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + KEYS_PER_REQUEST).map(({ streamId, version }) => ({ streamId, version }));
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_ROUNDS)
          throw new Error(`BatchGetItem left ${pending.length} keys of ${this.tableName} unprocessed after ${MAX_ROUNDS} rounds; the batch is retried`);
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** round));
        const result = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
        events.push(...(result.Responses?.[this.tableName] ?? []).map(parseStoredEvent));
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return events;
  }
}
