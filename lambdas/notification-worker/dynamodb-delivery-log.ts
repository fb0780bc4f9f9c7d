import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliveryLog, DeliveryRecord } from './delivery';

/**
 * The delivery log on the deliveries table (key `notificationId`).
 *
 * A plain put: a repeated delivery of the same notification overwrites its own row.
 */
export class DynamoDbDeliveryLog implements DeliveryLog {
  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async record(delivery: DeliveryRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...delivery } }));
  }
}
