import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure } from '../shared/dynamodb-errors';
import type { DeliveryLog, DeliveryRecord } from './delivery';

/**
 * The delivery log on the deliveries table (key `notificationId`).
 *
 * First delivery wins (`attribute_not_exists(notificationId)`): a notification delivered again
 * after the idempotency window (a replay days later) keeps its original row and `deliveredAt`,
 * so the log holds exactly one row per notification with the time it first reached the target.
 */
export class DynamoDbDeliveryLog implements DeliveryLog {
  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async record(delivery: DeliveryRecord): Promise<void> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...delivery }, ConditionExpression: 'attribute_not_exists(notificationId)' }));
    } catch (error) {
      // Already logged: this was a repeat of a delivery the log holds.
      if (isConditionalCheckFailure(error)) return;
      throw error;
    }
  }
}
