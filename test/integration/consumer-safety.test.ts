import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { api } from './support/http';
import { waitSettled } from './support/settled';
import { readWholeStream, streamEvents } from './support/stream';
import { readModelAt, storedEvents, uniqueId } from './support/accounts';
import { clients, output } from './support/target';
import { transactionRows } from './support/transaction-rows';
import { relayedKinesisRecords, type KinesisPutEntry } from '../support/factories/relayed-kinesis-record';
import { ulid } from 'ulid';
import { ACCOUNT_EVENT_SOURCE, ACCOUNT_EVENT_TYPES } from '../../lambdas/domain/accounts/events';
import { DynamoDbEventStore } from '../../lambdas/shared/event-store/dynamodb-event-store';

async function openAccount(prefix: string): Promise<string> {
  const accountId = uniqueId(prefix);
  expect((await api('POST', '/accounts', { accountId, owner: 'Lin', currency: 'EUR' })).status).toBe(201);
  return accountId;
}

async function putOnStream(records: KinesisPutEntry[]): Promise<void> {
  const put = await clients.kinesis.send(new PutRecordsCommand({ StreamName: output('EventsStreamName'), Records: records }));
  expect(put.FailedRecordCount).toBe(0);
}

const replicaAt = (accountId: string, version: number) =>
  waitSettled({
    probe: () => clients.dynamo.send(new GetCommand({ TableName: output('ReplicaTableName'), Key: { accountId } })),
    until: (r) => r.Item?.version === version,
    what: `replica of ${accountId} at version ${version}`,
  });

const deliveryOf = (notificationId: string) =>
  waitSettled({
    probe: () => clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId }, ConsistentRead: true })),
    until: (r) => r.Item !== undefined,
    what: `delivery of ${notificationId}`,
  }).then((r) => r.Item!);

/** Each transaction's balanceAfter is the previous one plus or minus its amount, versions 1..n without gaps. */
function expectBalanceChain(rows: Record<string, any>[]): void {
  expect(rows.map((row) => row.version)).toEqual(rows.map((_, i) => i + 1));
  let balance = 0;
  for (const row of rows) {
    balance += row.kind === 'deposit' ? row.amount : row.kind === 'withdrawal' ? -row.amount : 0;
    expect(row.balanceAfter).toBe(balance);
  }
}

describe('consumer safety on at-least-once delivery', () => {
  it('projector: v3 arriving before v2 and again after it (after the read model lost the account) converges to the fold', async () => {
    const accountId = await openAccount('ooo');
    await api('POST', `/accounts/${accountId}/deposits`, { amount: 500 });
    const last = await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 120 });
    expect(last.body).toMatchObject({ version: 3, balance: 380 });
    await readModelAt(accountId, 3);

    // The read model loses the account (a rebuild, a restore); then the stream brings v3 before v2,
    // and v3 again: what the relay leaves when one PutRecords took v3 but not v2, and it published
    // v2 on a retry and v3 once more after it.
    await clients.dynamo.send(new DeleteCommand({ TableName: output('BalancesTableName'), Key: { accountId } }));
    for (const version of [1, 2, 3]) {
      await clients.dynamo.send(new DeleteCommand({ TableName: output('TransactionsTableName'), Key: { accountId, version } }));
    }
    const stored = await storedEvents(accountId);
    await putOnStream(await relayedKinesisRecords([stored[2]!, stored[1]!, stored[2]!]));

    const { body } = await readModelAt(accountId, 3);
    expect(body).toMatchObject({ balance: 380, version: 3 });
    const rows = await transactionRows(accountId);
    expect(rows.map((row) => [row.version, row.kind, row.eventId])).toEqual(stored.map((item, i) => [i + 1, ['opened', 'deposit', 'withdrawal'][i], item.eventId]));
    expectBalanceChain(rows);
  });

  it('replaying the same stream records twice changes no balance, transaction, replica row or delivery', async () => {
    const accountId = await openAccount('replay');
    await api('POST', `/accounts/${accountId}/deposits`, { amount: 900 });
    await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 400 });
    const stored = await storedEvents(accountId);
    await readModelAt(accountId, 3);
    await replicaAt(accountId, 3);
    const deliveriesBefore = await Promise.all(stored.map((item) => deliveryOf(item.eventId)));
    const transactionsBefore = await transactionRows(accountId);

    // At-least-once: the whole history arrives again, twice, as the relay publishes it: the
    // factory's records are the ones the relay put on the stream (same key, same envelope; the
    // order of keys inside `data` is not kept by DynamoDB, so the JSON is compared parsed).
    const again = await relayedKinesisRecords(stored);
    const published = await readWholeStream(output('EventsStreamName'));
    expect(
      stored.map((item) => published.filter((r) => r.data.includes(item.eventId)).map((r) => ({ partitionKey: r.partitionKey, envelope: JSON.parse(r.data) }))),
    ).toEqual(again.map((entry) => [{ partitionKey: entry.PartitionKey, envelope: JSON.parse(Buffer.from(entry.Data).toString('utf8')) }]));
    await putOnStream([...again, ...again]);
    // A marker behind the replays on the same shard: once it is through, so are they.
    const marker = await api('POST', `/accounts/${accountId}/deposits`, { amount: 1 });
    expect(marker.body).toMatchObject({ version: 4, balance: 501 });
    const markerId = (await storedEvents(accountId))[3]!.eventId;
    await readModelAt(accountId, 4);
    await replicaAt(accountId, 4);
    await deliveryOf(markerId);

    expect((await api('GET', `/accounts/${accountId}`)).body).toMatchObject({ balance: 501, version: 4 });
    const rows = await transactionRows(accountId);
    expect(rows.slice(0, 3)).toEqual(transactionsBefore);
    expectBalanceChain(rows);
    const replica = await clients.dynamo.send(new GetCommand({ TableName: output('ReplicaTableName'), Key: { accountId }, ConsistentRead: true }));
    expect(replica.Item).toMatchObject({ version: 4, balance: 501 });
    // One notification per event, delivered once: the first delivery's row is kept as it was.
    expect(await Promise.all(stored.map((item) => deliveryOf(item.eventId)))).toEqual(deliveriesBefore);
  });

  it('keeps each account in version order through the outbox and the projector', async () => {
    const accountId = await openAccount('order');
    const amounts = Array.from({ length: 12 }, (_, i) => 10 * (i + 1) + i);
    for (const [i, amount] of amounts.entries()) {
      const response =
        i % 4 === 3 ? await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 5 }) : await api('POST', `/accounts/${accountId}/deposits`, { amount });
      expect(response.status).toBe(201);
    }
    const { body } = await readModelAt(accountId, 13);
    const rows = await transactionRows(accountId);
    expectBalanceChain(rows);
    expect(rows.at(-1)!.balanceAfter).toBe(body.balance);

    // On the stream, the account's events sit in version order (one partition key, one shard).
    const onStream = (await streamEvents(output('EventsStreamName'))).filter((e) => e.subject === accountId && e.source === 'sluice/accounts');
    const versions = onStream.map((e) => e.streamversion);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions)).toEqual(new Set(Array.from({ length: 13 }, (_, i) => i + 1)));
  });

  it('keeps each account in version order when one relay batch carries many versions of several accounts', async () => {
    // Two accounts' histories appended in one transaction each, back to back: their stream records
    // reach the relay together, so one PutRecords carries several versions of each account.
    const store = new DynamoDbEventStore(clients.dynamo, output('EventStoreTableName'));
    const accounts = [uniqueId('burst'), uniqueId('burst')];
    const events = 12;
    await Promise.all(
      accounts.map((accountId) =>
        store.append(
          `account#${accountId}`,
          Array.from({ length: events }, (_, i) => ({
            eventId: ulid(),
            type: i === 0 ? ACCOUNT_EVENT_TYPES.opened : ACCOUNT_EVENT_TYPES.deposited,
            time: new Date().toISOString(),
            data: i === 0 ? { accountId, owner: 'Lin', currency: 'EUR' } : { accountId, amount: i, channel: 'api' },
            metadata: { source: ACCOUNT_EVENT_SOURCE, subject: accountId, partitionkey: accountId },
          })),
          0,
        ),
      ),
    );
    for (const accountId of accounts) await readModelAt(accountId, events);

    const onStream = await streamEvents(output('EventsStreamName'));
    for (const accountId of accounts) {
      const versions = onStream.filter((e) => e.subject === accountId && e.source === ACCOUNT_EVENT_SOURCE).map((e) => e.streamversion);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(new Set(versions)).toEqual(new Set(Array.from({ length: events }, (_, i) => i + 1)));
      expectBalanceChain(await transactionRows(accountId));
    }
  });
});

describe('snapshots are only an optimisation', () => {
  it('commands fold the full history when the snapshot is corrupt, ahead of the store, inconsistent or missing', async () => {
    const accountId = await openAccount('snap');
    const streamId = `account#${accountId}`;
    const putSnapshot = (item: Record<string, unknown>) =>
      clients.dynamo.send(new PutCommand({ TableName: output('SnapshotTableName'), Item: { streamId, takenAt: new Date().toISOString(), ...item } }));
    const openState = (version: number, balance: number) => ({
      status: 'open',
      accountId,
      owner: 'Lin',
      currency: 'EUR',
      balance,
      version,
      openedAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    });
    await api('POST', `/accounts/${accountId}/deposits`, { amount: 100 });
    await api('POST', `/accounts/${accountId}/deposits`, { amount: 200 });

    await putSnapshot({ version: 3, state: { balance: 'lots' } });
    expect(await api('POST', `/accounts/${accountId}/deposits`, { amount: 1 })).toMatchObject({ status: 201, body: { version: 4, balance: 301 } });

    // Well-formed but ahead of the store: trusting it would append version 100 after 4.
    await putSnapshot({ version: 99, state: openState(99, 1_000_000) });
    expect(await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 301 })).toMatchObject({ status: 201, body: { version: 5, balance: 0 } });

    // A version that disagrees with the state it holds.
    await clients.dynamo.send(new DeleteCommand({ TableName: output('SnapshotTableName'), Key: { streamId } }));
    await putSnapshot({ version: 4, state: openState(3, 5) });
    expect(await api('POST', `/accounts/${accountId}/deposits`, { amount: 7 })).toMatchObject({ status: 201, body: { version: 6, balance: 7 } });

    await clients.dynamo.send(new DeleteCommand({ TableName: output('SnapshotTableName'), Key: { streamId } }));
    expect(await api('POST', `/accounts/${accountId}/deposits`, { amount: 3, expectedVersion: 6 })).toMatchObject({
      status: 201,
      body: { version: 7, balance: 10 },
    });

    expect((await storedEvents(accountId)).map((item) => item.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const { body } = await readModelAt(accountId, 7);
    expect(body.balance).toBe(10);
  });
});
