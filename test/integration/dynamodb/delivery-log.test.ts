import type { DeliveryRecord } from '../../../lambdas/notification-worker/delivery';
import { DynamoDbDeliveryLog } from '../../../lambdas/notification-worker/dynamodb-delivery-log';
import { uniqueId } from '../support/accounts';
import { rawItem } from '../support/stack-tables';
import { clients, output } from '../support/target';

/** The delivery log adapter on the stack's deliveries table in DynamoDB Local. */
const tableName = () => output('DeliveriesTableName');
const log = () => new DynamoDbDeliveryLog(clients.dynamo, tableName());

const deliveryOf = (notificationId: string, deliveredAt: string): DeliveryRecord => ({
  notificationId,
  accountId: 'acc-1',
  eventType: 'sluice.account.deposited.v2',
  target: 'https://hooks.example.com',
  status: 'delivered',
  statusCode: 204,
  deliveredAt,
});

describe('the DynamoDB delivery log on DynamoDB Local', () => {
  it('writes one row per notification', async () => {
    const notificationId = uniqueId('notification');

    await log().record(deliveryOf(notificationId, '2025-01-01T10:00:00.000Z'));

    expect(await rawItem(tableName(), { notificationId })).toEqual(deliveryOf(notificationId, '2025-01-01T10:00:00.000Z'));
  });

  it('keeps the first delivery when the notification is delivered again, without an error', async () => {
    const notificationId = uniqueId('notification');
    await log().record(deliveryOf(notificationId, '2025-01-01T10:00:00.000Z'));

    await log().record({ ...deliveryOf(notificationId, '2025-01-03T09:00:00.000Z'), statusCode: 200 });

    expect(await rawItem(tableName(), { notificationId })).toEqual(deliveryOf(notificationId, '2025-01-01T10:00:00.000Z'));
  });
});
