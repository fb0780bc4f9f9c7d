import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { api } from './support/http';
import { uniqueId } from './support/accounts';
import { waitSettled } from './support/settled';
import { clients, output } from './support/target';
import { streamEvents } from './support/stream';

async function accountWithDeposit(): Promise<{ accountId: string; depositEventId: string; version: number; balance: number }> {
  const accountId = uniqueId('fan');
  expect((await api('POST', '/accounts', { accountId, owner: 'Grace', currency: 'USD' })).status).toBe(201);
  const deposit = await api('POST', `/accounts/${accountId}/deposits`, { amount: 4200 });
  expect(deposit.status).toBe(201);
  const { Items = [] } = await clients.dynamo.send(new QueryCommand({
    TableName: output('EventStoreTableName'),
    KeyConditionExpression: 'streamId = :s AND #v = :v',
    ExpressionAttributeNames: { '#v': 'version' },
    ExpressionAttributeValues: { ':s': `account#${accountId}`, ':v': 2 },
  }));
  return { accountId, depositEventId: Items[0]!.eventId, version: deposit.body.version, balance: deposit.body.balance };
}

describe('fan-out consumers', () => {
  it('event notification: a deposit is notified, delivered once and logged', async () => {
    const { accountId, depositEventId } = await accountWithDeposit();
    const delivery = await waitSettled({
      probe: () => clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId: depositEventId } })),
      until: (r) => r.Item !== undefined,
      what: 'delivery of the deposit notification',
    });
    expect(delivery.Item).toMatchObject({ notificationId: depositEventId, accountId, eventType: 'sluice.account.deposited.v2', status: 'delivered' });
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

  it('stateful stream processing: a burst of swipes on one card raises FraudSuspected on the stream', async () => {
    const cardId = `card-fraud-${Date.now()}`;
    const start = Date.now();
    const events = Array.from({ length: 7 }, (_, i) => ({
      type: 'sluice.card.swiped.v1', source: 'pos/integration', subject: cardId,
      data: { cardId, accountId: 'acc-fraud', amount: 100 + i, merchant: `shop ${i}`, country: 'FR', at: new Date(start + i * 1000).toISOString() },
    }));
    const { status } = await api('POST', '/events', { events });
    expect(status).toBe(202);
    const all = await waitSettled({
      probe: () => streamEvents(output('EventsStreamName')),
      until: (list) => list.some((e) => e.type === 'sluice.card.fraud-suspected.v1' && e.subject === cardId),
      what: 'FraudSuspected for the card',
    });
    const alerts = all.filter((e) => e.type === 'sluice.card.fraud-suspected.v1' && e.subject === cardId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ partitionkey: cardId, data: expect.objectContaining({ cardId, reason: 'velocity' }) });
  });
});
