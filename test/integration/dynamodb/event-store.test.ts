import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { deposit, type AccountServiceDeps } from '../../../lambdas/domain/accounts';
import { AccountHistoryError } from '../../../lambdas/domain/accounts/errors';
import { DynamoDbEventStore } from '../../../lambdas/shared/event-store/dynamodb-event-store';
import type { StoredEvent } from '../../../lambdas/shared/event-store/port';
import { history, sequentialIds, steppingClock } from '../../helpers/account-events';
import { describeEventStoreContract } from '../../helpers/event-store-contract';
import { InMemorySnapshotStore } from '../../helpers/in-memory-event-store';
import { scratchCopyOf, type ScratchTable } from '../support/stack-tables';
import { clients } from '../support/target';

/**
 * The DynamoDB event store adapter on DynamoDB Local, on a copy of the stack's events table (same
 * key schema, no stream: the gaps written here must never reach the outbox).
 */
let table: ScratchTable;
beforeAll(async () => {
  table = await scratchCopyOf('EventStoreTableName');
});
afterAll(() => table?.drop());

const store = () => new DynamoDbEventStore(clients.dynamo, table.tableName);
const put = async (events: readonly StoredEvent[]) => {
  for (const event of events) await clients.dynamo.send(new PutCommand({ TableName: table.tableName, Item: { ...event } }));
};

// The same cases run against the in-memory fake in test/unit/fakes/in-memory-event-store.test.ts.
describeEventStoreContract('the DynamoDB event store on DynamoDB Local', () => ({ store: store(), put }));

describe('the DynamoDB event store on DynamoDB Local', () => {
  it('reads a stream longer than one 1 MB query page, following LastEvaluatedKey', async () => {
    const streamId = `big#${randomUUID()}`;
    // 30 events of ~40 KB: about 1.2 MB, more than one Query page returns.
    const events = Array.from({ length: 30 }, (_, index): StoredEvent => ({
      streamId,
      version: index + 1,
      eventId: `evt-${index + 1}`,
      type: 'contract.noted.v1',
      time: new Date(Date.UTC(2025, 0, 1)).toISOString(),
      data: { padding: 'x'.repeat(40_000) },
      metadata: { source: 'contract', subject: 's', partitionkey: 's' },
    }));
    await put(events);

    const read = await store().readStream(streamId);

    expect(read.map((event) => event.version)).toEqual(events.map((event) => event.version));
  });

  it('refuses a command on an account whose stored history has a gap, as the in-memory store does, and appends nothing', async () => {
    const accountId = `it-gap-${randomUUID().slice(0, 8)}`;
    await put(
      history(accountId)
        .opened()
        .deposit(100)
        .deposit(50)
        .deposit(25)
        .stored()
        .filter((event) => event.version !== 3),
    );
    const deps: AccountServiceDeps = {
      eventStore: store(),
      snapshotStore: new InMemorySnapshotStore(),
      clock: steppingClock(),
      newId: sequentialIds(),
      snapshotEvery: 0,
    };

    await expect(deposit(deps, { accountId, amount: 5 })).rejects.toBeInstanceOf(AccountHistoryError);
    expect((await store().readStream(`account#${accountId}`)).map((event) => event.version)).toEqual([1, 2, 4]);
  });
});
