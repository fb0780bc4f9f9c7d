import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../shared/dynamodb-batch';
import type { StoredEvent } from '../shared/event-store/port';
import { parseStoredEvent } from '../shared/event-store/stored-event';
import type { StoredEventBatchReader, StoredEventKey } from './prefetched-events';

/**
 * Stored events by key from the event store table with BatchGetItem (consistent reads, 100 keys
 * per request, unprocessed keys asked again with a short backoff; see `batchGetItems`).
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
    const items = await batchGetItems(
      this.client,
      this.tableName,
      keys.map(({ streamId, version }) => ({ streamId, version })),
      { consistentRead: true },
    );
    return items.map(parseStoredEvent);
  }
}
