import { LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import { foldAccount } from '../../../lambdas/domain/accounts/account';
import { accountEventFromStored } from '../../../lambdas/domain/accounts/account-event';
import { loadAccount } from '../../../lambdas/domain/accounts';
import { DynamoDbEventStore } from '../../../lambdas/shared/event-store/dynamodb-event-store';
import { DynamoDbSnapshotStore } from '../../../lambdas/shared/event-store/dynamodb-snapshot-store';
import type { EventStore, ReadStreamOptions } from '../../../lambdas/shared/event-store/port';
import { uniqueId } from '../support/accounts';
import { api } from '../support/http';
import { clients, output } from '../support/target';

/** The snapshot store adapter on the stack's snapshots table in DynamoDB Local. */
const snapshots = () => new DynamoDbSnapshotStore(clients.dynamo, output('SnapshotTableName'));
const events = () => new DynamoDbEventStore(clients.dynamo, output('EventStoreTableName'));

const snapshotOf = (streamId: string, version: number, balance: number) => ({
  streamId,
  version,
  state: { status: 'open', accountId: streamId, owner: 'Ada', currency: 'EUR', balance, version, openedAt: 't0', updatedAt: `t${version}` },
  takenAt: `2025-01-01T00:00:${String(version).padStart(2, '0')}.000Z`,
});

/**
 * `SNAPSHOT_EVERY` as deployed: the environment of the function that writes this stack's
 * snapshots (Lambda ListFunctions, on the local cloud as on AWS), i.e. the `snapshotEvery` config.
 */
async function deployedSnapshotEvery(): Promise<number> {
  const lambda = new LambdaClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  try {
    for await (const page of paginateListFunctions({ client: lambda }, {})) {
      for (const fn of page.Functions ?? []) {
        const env = fn.Environment?.Variables ?? {};
        if (env.SNAPSHOT_TABLE_NAME === output('SnapshotTableName') && env.SNAPSHOT_EVERY) return Number(env.SNAPSHOT_EVERY);
      }
    }
  } finally {
    lambda.destroy();
  }
  throw new Error(`no function with SNAPSHOT_TABLE_NAME=${output('SnapshotTableName')} and SNAPSHOT_EVERY set; is the stateless stack deployed?`);
}

/** Deposits 1 through the API until the account reaches `version`. */
async function depositUntil(accountId: string, from: number, version: number): Promise<void> {
  for (let next = from + 1; next <= version; next += 1) {
    const { status, body } = await api('POST', `/accounts/${accountId}/deposits`, { amount: 1, expectedVersion: next - 1 });
    expect({ status, version: body.version }).toEqual({ status: 201, version: next });
  }
}

describe('the DynamoDB snapshot store on DynamoDB Local', () => {
  it('reads nothing for a stream without a snapshot', async () => {
    expect(await snapshots().load(`account#${uniqueId('snap')}`)).toBeUndefined();
  });

  it('reads back what it saved', async () => {
    const snapshot = snapshotOf(`account#${uniqueId('snap')}`, 10, 500);

    await snapshots().save(snapshot);

    expect(await snapshots().load(snapshot.streamId)).toEqual(snapshot);
  });

  it('keeps the newest snapshot: an older or equal version is refused without an error, a newer one wins', async () => {
    const streamId = `account#${uniqueId('snap')}`;
    await snapshots().save(snapshotOf(streamId, 10, 500));

    await snapshots().save(snapshotOf(streamId, 5, 1));
    await snapshots().save({ ...snapshotOf(streamId, 10, 2), takenAt: 'later' });
    expect(await snapshots().load(streamId)).toEqual(snapshotOf(streamId, 10, 500));

    await snapshots().save(snapshotOf(streamId, 20, 700));
    expect(await snapshots().load(streamId)).toEqual(snapshotOf(streamId, 20, 700));
  });

  it('snapshots an account at snapshotEvery events, as the fold, and loads it from snapshot + the rest as the full fold', async () => {
    const every = await deployedSnapshotEvery();
    const opened = await api('POST', '/accounts', { accountId: uniqueId('snap'), owner: 'Ada', currency: 'EUR' });
    expect(opened.status).toBe(201);
    const accountId: string = opened.body.accountId;
    const streamId = `account#${accountId}`;

    await depositUntil(accountId, 1, every - 1);
    expect(await snapshots().load(streamId)).toBeUndefined();
    await depositUntil(accountId, every - 1, every);
    const snapshot = await snapshots().load(streamId);
    const foldAt = async (to: number) => foldAccount((await events().readStream(streamId, { toVersion: to })).map(accountEventFromStored));
    expect(snapshot).toMatchObject({ streamId, version: every, state: await foldAt(every) });

    await depositUntil(accountId, every, every + 2);
    const reads: ReadStreamOptions[] = [];
    const eventStore: EventStore = {
      append: () => Promise.reject(new Error('read only')),
      readStream: (id, options) => (reads.push(options ?? {}), events().readStream(id, options)),
    };
    const loaded = await loadAccount({ eventStore, snapshotStore: snapshots() }, accountId);

    expect(loaded).toEqual(await foldAt(every + 2));
    expect(loaded).toMatchObject({ version: every + 2, balance: every + 1 });
    expect(reads).toEqual([{ fromVersion: every, toVersion: undefined }]);
  });
});
