import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailure } from '../shared/dynamodb-errors';
import type { DeliveryLog, DeliveryRecord } from './delivery';

/**
 * The delivery log on the deliveries table (key `notificationId`).
 *
 * First delivery wins (`attribute_not_exists(notificationId)`): a notification delivered again
 * after the idempotency window (a replay days later) keeps its original row and `deliveredAt`,
 * so the log holds exactly one row per notification with the time it first reached the target.
 *
 * It writes through the plain DynamoDB client with `marshall` (which Powertools idempotency bundles
 * anyway), so the worker's bundle carries no document client (`@aws-sdk/lib-dynamodb`, about 6 KB
 * compiled at every cold start; docs/benchmarks.md, "Cold start").
 */
export class DynamoDbDeliveryLog implements DeliveryLog {
  public constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async record(delivery: DeliveryRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ ...delivery }, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(notificationId)',
        }),
      );
    } catch (error) {
      // Already logged: this was a repeat of a delivery the log holds.
      if (isConditionalCheckFailure(error)) return;
      throw error;
    }
  }
}
