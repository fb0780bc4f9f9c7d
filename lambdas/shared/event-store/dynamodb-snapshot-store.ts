import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure } from '../dynamodb-errors';
import type { Snapshot, SnapshotStore } from './port';

/**
 * Snapshots on a DynamoDB table keyed by `streamId` (S), holding `version` (N), `state` (map), `takenAt`.
 *
 * Keeps only the latest snapshot: a save is conditional on a newer version, and a lost race
 * (an equal or newer snapshot is already there) is not an error.
 *
 * @example
 * const snapshots = new DynamoDbSnapshotStore(documentClient, process.env.SNAPSHOT_TABLE_NAME);
 */
export class DynamoDbSnapshotStore implements SnapshotStore {
  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async load(streamId: string): Promise<Snapshot | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { streamId } }));
    if (!Item || typeof Item.version !== 'number' || typeof Item.takenAt !== 'string') return undefined;
    return { streamId, version: Item.version, state: Item.state, takenAt: Item.takenAt };
  }

  public async save(snapshot: Snapshot): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { streamId: snapshot.streamId, version: snapshot.version, state: snapshot.state, takenAt: snapshot.takenAt },
          ConditionExpression: 'attribute_not_exists(#streamId) OR #version < :version',
          ExpressionAttributeNames: { '#streamId': 'streamId', '#version': 'version' },
          ExpressionAttributeValues: { ':version': snapshot.version },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) return;
      throw error;
    }
  }
}
