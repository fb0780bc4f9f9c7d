import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readStoredEvents } from '../shared/event-store/dynamodb-event-store';
import type { StoredEvent } from '../shared/event-store/port';
import type { StoredEventBatchReader, StoredEventKey } from '../adapters/accounts/prefetched-events';

/**
 * Stored events by key from the event store table (consistent reads: a Query per run of close
 * versions of a stream, BatchGetItem for the other keys; see `readStoredEvents`).
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
    return readStoredEvents(this.client, this.tableName, keys);
  }
}
