import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LOG_CHANNEL_MESSAGE } from '../../lambdas/notification-worker/channels';
import { relayedKinesisRecords, type KinesisPutEntry } from '../support/factories/relayed-kinesis-record';
import { api } from './support/http';
import { storedEvents, uniqueId } from './support/accounts';
import { eventually } from './support/eventually';
import { functionLogEntries } from './support/function-log';
import { isExternalTarget, waitSettled } from './support/settled';
import { clients, output } from './support/target';
import { readWholeStream, streamEvents } from './support/stream';

const FRAUD_SUSPECTED = 'sluice.card.fraud-suspected.v1';

async function putOnStream(records: KinesisPutEntry[]): Promise<void> {
  const put = await clients.kinesis.send(new PutRecordsCommand({ StreamName: output('EventsStreamName'), Records: records }));
  expect(put.FailedRecordCount).toBe(0);
}

/**
 * How many times the notification reached its target. The local cloud has no WEBHOOK_URL, so the
 * target is the worker's log channel: one log entry per delivery. `undefined` on an external
 * target (its logs are in CloudWatch). Waits (`eventually`, log I/O and not pipeline work) for the
 * first entry only: the pipeline has settled, so every delivery has run; its line may still be on
 * its way from the function's stdout to the log file.
 */
async function notificationReceipts(notificationId: string): Promise<number | undefined> {
  if (isExternalTarget()) return undefined;
  const receipts = () => functionLogEntries('notification-worker').filter((e) => e.message === LOG_CHANNEL_MESSAGE && e.notificationId === notificationId);
  return (
    await eventually(
      async () => receipts(),
      (found) => found.length > 0,
      { what: `a log channel delivery of ${notificationId}`, timeoutMs: 10_000 },
    )
  ).length;
}

async function accountWithDeposit(): Promise<{ accountId: string; depositEventId: string; version: number; balance: number }> {
  const accountId = uniqueId('fan');
  expect((await api('POST', '/accounts', { accountId, owner: 'Grace', currency: 'USD' })).status).toBe(201);
  const deposit = await api('POST', `/accounts/${accountId}/deposits`, { amount: 4200 });
  expect(deposit.status).toBe(201);
  const deposited = (await storedEvents(accountId)).find((item) => item.version === 2);
  return { accountId, depositEventId: deposited!.eventId, version: deposit.body.version, balance: deposit.body.balance };
}

describe('fan-out consumers', () => {
  it('event notification: a deposit is notified, delivered exactly once and logged, even when its record comes again', async () => {
    const { accountId, depositEventId } = await accountWithDeposit();
    const deliveryRow = () =>
      clients.dynamo.send(
        new QueryCommand({
          TableName: output('DeliveriesTableName'),
          KeyConditionExpression: 'notificationId = :n',
          ExpressionAttributeValues: { ':n': depositEventId },
          ConsistentRead: true,
        }),
      );
    const first = await waitSettled({ probe: deliveryRow, until: (r) => r.Count === 1, what: 'one delivery row for the deposit' });
    expect(first.Items![0]).toMatchObject({ notificationId: depositEventId, accountId, eventType: 'sluice.account.deposited.v2', status: 'delivered' });

    // At-least-once: the relay publishes the deposit again (a retried batch), twice, after the
    // first delivery is done, so the copies reach the worker in later batches than the original.
    const deposit = (await storedEvents(accountId)).find((item) => item.eventId === depositEventId)!;
    await putOnStream(await relayedKinesisRecords([deposit, deposit]));
    const after = await waitSettled({ probe: deliveryRow, until: (r) => r.Count === 1, what: 'still one delivery row for the deposit' });

    expect(after.Items).toEqual(first.Items);
    const receipts = await notificationReceipts(depositEventId);
    if (receipts !== undefined) expect(receipts).toBe(1);
  });

  it('event-carried state transfer: the replica converges to the account state', async () => {
    const { accountId, version, balance } = await accountWithDeposit();
    const withdrawal = await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 200, expectedVersion: version });
    expect(withdrawal.status).toBe(201);
    const replica = await waitSettled({
      probe: () => clients.dynamo.send(new GetCommand({ TableName: output('ReplicaTableName'), Key: { accountId } })),
      until: (r) => r.Item?.version === version + 1,
      what: 'replica at the latest version',
    });
    expect(replica.Item).toMatchObject({ accountId, owner: 'Grace', currency: 'USD', balance: balance - 200, version: version + 1 });
  });

  it('stateful stream processing: a burst of swipes on one card raises exactly one FraudSuspected, even when the swipes come again', async () => {
    const cardId = `card-fraud-${Date.now()}`;
    const start = Date.now();
    const events = Array.from({ length: 7 }, (_, i) => ({
      type: 'sluice.card.swiped.v1',
      source: 'pos/integration',
      subject: cardId,
      data: { cardId, accountId: 'acc-fraud', amount: 100 + i, merchant: `shop ${i}`, country: 'FR', at: new Date(start + i * 1000).toISOString() },
    }));
    const { status } = await api('POST', '/events', { events });
    expect(status).toBe(202);
    const alertsOnStream = async () => (await streamEvents(output('EventsStreamName'))).filter((e) => e.type === FRAUD_SUSPECTED && e.subject === cardId);
    await waitSettled({ probe: alertsOnStream, until: (alerts) => alerts.length > 0, what: 'FraudSuspected for the card' });

    // At-least-once: the swipes come again (a retried batch); the detector must not alert again.
    const swipes = (await readWholeStream(output('EventsStreamName'))).filter((r) => r.partitionKey === cardId && r.data.includes('"sluice.card.swiped.v1"'));
    expect(swipes).toHaveLength(7);
    await putOnStream(swipes.map((r) => ({ PartitionKey: r.partitionKey, Data: Buffer.from(r.data) })));
    // Counted once everything has run through: a later second alert counts too.
    const alerts = await waitSettled({ probe: alertsOnStream, what: 'alerts for the card' });

    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ partitionkey: cardId, data: expect.objectContaining({ cardId, reason: 'velocity' }) });
  });
});
