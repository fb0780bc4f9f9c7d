import { DynamoDbReplicaStore } from '../../../lambdas/replica/dynamodb-replica-store';
import type { ReplicaRow } from '../../../lambdas/replica/replica-row';
import { uniqueId } from '../support/accounts';
import { rawItem } from '../support/stack-tables';
import { clients, output } from '../support/target';

/** The replica adapter on the stack's replica table in DynamoDB Local. */
const tableName = () => output('ReplicaTableName');
const replica = () => new DynamoDbReplicaStore(clients.dynamo, tableName());

const rowOf = (accountId: string, version: number, balance: number): ReplicaRow => ({
  accountId,
  owner: 'Ada',
  currency: 'EUR',
  balance,
  version,
  openedAt: '2025-01-01T10:00:00.000Z',
  updatedAt: `2025-01-01T10:${String(version).padStart(2, '0')}:00.000Z`,
  replicatedAt: `2025-01-01T11:${String(version).padStart(2, '0')}:00.000Z`,
});

describe('the DynamoDB replica store on DynamoDB Local', () => {
  it('writes the first state of an account', async () => {
    const accountId = uniqueId('replica');

    expect(await replica().putIfNewer(rowOf(accountId, 1, 0))).toBe('written');
    expect(await rawItem(tableName(), { accountId })).toEqual(rowOf(accountId, 1, 0));
  });

  it('lets a newer version win, and answers stale for an equal or older one without changing the row', async () => {
    const accountId = uniqueId('replica');
    await replica().putIfNewer(rowOf(accountId, 3, 300));

    expect(await replica().putIfNewer(rowOf(accountId, 2, 200))).toBe('stale');
    expect(await replica().putIfNewer({ ...rowOf(accountId, 3, 999), replicatedAt: 'again' })).toBe('stale');
    expect(await rawItem(tableName(), { accountId })).toEqual(rowOf(accountId, 3, 300));

    expect(await replica().putIfNewer(rowOf(accountId, 5, 500))).toBe('written');
    expect(await rawItem(tableName(), { accountId })).toEqual(rowOf(accountId, 5, 500));
  });
});
