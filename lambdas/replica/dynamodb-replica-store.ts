import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure } from '../shared/dynamodb-errors';
import type { ReplicaRow, ReplicaStore, ReplicaWriteOutcome } from './replica-row';

/**
 * The replica table (key `accountId`) with newer-version-wins conditional puts.
 *
 * @example
 * await new DynamoDbReplicaStore(client, 'replica').putIfNewer(row) // 'written' | 'stale'
 */
export class DynamoDbReplicaStore implements ReplicaStore {
  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async putIfNewer(row: ReplicaRow): Promise<ReplicaWriteOutcome> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...row },
          ConditionExpression: 'attribute_not_exists(accountId) OR #version < :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': row.version },
        }),
      );
      return 'written';
    } catch (error) {
      // The condition failing is the rule working: the replica already holds this version or a newer one.
      if (isConditionalCheckFailure(error)) return 'stale';
      throw error;
    }
  }
}
