import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { newEventId } from '../../lambdas/shared/ids';
import { api } from './support/http';
import { waitSettled } from './support/settled';
import { uniqueId, storedEvents } from './support/accounts';
import { clients, output } from './support/target';

describe('schema evolution: sluice.account.deposited.v1 → v2', () => {
  it('folds, projects, notifies and replicates a historical v1 deposit, and stores new deposits as v2', async () => {
    const accountId = uniqueId('evo');
    expect((await api('POST', '/accounts', { accountId, owner: 'Hedy', currency: 'EUR' })).status).toBe(201);

    // Historical data: a v1 deposit as the event store held it before v2, written with the stored-event layout.
    const v1EventId = newEventId();
    await clients.dynamo.send(
      new PutCommand({
        TableName: output('EventStoreTableName'),
        Item: {
          streamId: `account#${accountId}`,
          version: 2,
          eventId: v1EventId,
          type: 'sluice.account.deposited.v1',
          time: new Date().toISOString(),
          data: { accountId, amount: 700 },
          metadata: { source: 'sluice/accounts', subject: accountId, partitionkey: accountId },
        },
        ConditionExpression: 'attribute_not_exists(version)',
      }),
    );

    // Outbox → stream → projector: the read model shows it, as a deposit.
    const readModel = await waitSettled({
      probe: () => api('GET', `/accounts/${accountId}`),
      until: (r) => r.status === 200 && r.body.version === 2,
      what: 'read model at version 2',
    });
    expect(readModel.body).toMatchObject({ balance: 700, version: 2 });
    const transactions = await api('GET', `/accounts/${accountId}/transactions`);
    expect(transactions.body.items[1]).toMatchObject({ version: 2, kind: 'deposit', amount: 700, balanceAfter: 700, eventId: v1EventId });

    // The aggregate folds it: the next command sees balance 700 at version 2.
    const deposit = await api('POST', `/accounts/${accountId}/deposits`, { amount: 50, expectedVersion: 2 });
    expect(deposit).toMatchObject({ status: 201, body: { version: 3, balance: 750 } });
    const withdrawal = await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 725, expectedVersion: 3 });
    expect(withdrawal).toMatchObject({ status: 201, body: { version: 4, balance: 25 } });

    // New deposits are stored as v2 with their channel; the historical v1 item is untouched.
    const stored = await storedEvents(accountId);
    expect(stored.map((item) => [item.version, item.type])).toEqual([
      [1, 'sluice.account.opened.v1'],
      [2, 'sluice.account.deposited.v1'],
      [3, 'sluice.account.deposited.v2'],
      [4, 'sluice.account.withdrawn.v1'],
    ]);
    expect(stored[1]!.data).toEqual({ accountId, amount: 700 });
    expect(stored[2]!.data).toEqual({ accountId, amount: 50, channel: 'api' });

    // Event-carried state transfer folds through the upcaster too: the replica converges.
    const replica = await waitSettled({
      probe: () => clients.dynamo.send(new GetCommand({ TableName: output('ReplicaTableName'), Key: { accountId } })),
      until: (r) => r.Item?.version === 4,
      what: 'replica at version 4',
    });
    expect(replica.Item).toMatchObject({ balance: 25, version: 4, owner: 'Hedy' });

    // The notifier saw the v1 event as v2.
    const delivery = await waitSettled({
      probe: () => clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId: v1EventId } })),
      until: (r) => r.Item !== undefined,
      what: 'delivery of the v1 deposit notification',
    });
    expect(delivery.Item).toMatchObject({ eventType: 'sluice.account.deposited.v2', status: 'delivered' });

    const final = await waitSettled({ probe: () => api('GET', `/accounts/${accountId}`), until: (r) => r.body?.version === 4, what: 'read model at version 4' });
    expect(final.body).toMatchObject({ balance: 25, version: 4 });
  });
});
