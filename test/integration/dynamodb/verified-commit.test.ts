import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { foldChanges, runOf, type VerifiedRun } from '../../../lambdas/domain/accounts';
import { accountEventFromStored } from '../../../lambdas/domain/accounts/account-event';
import { DynamoDbAccountReadModel } from '../../../lambdas/adapters/accounts/dynamodb-account-read-model';
import type { StoredEvent } from '../../../lambdas/shared/event-store/port';
import { deliveredExpectation, storedEventToEnvelope } from '../../../lambdas/shared/event-store/stored-event';
import { history } from '../../helpers/account-events';
import { uniqueId } from '../support/accounts';
import { type ScratchTable, scratchCopyOf } from '../support/stack-tables';
import { recordingDynamo } from '../support/recording-dynamo';
import { clients, output } from '../support/target';
import { transactionRows } from '../support/transaction-rows';

// An event store of the test's own (no stream): events stored in the stack's would be projected by
// the pipeline meanwhile, into the very rows these tests look at.
let eventStore: ScratchTable;
beforeAll(async () => {
  eventStore = await scratchCopyOf('EventStoreTableName');
});
afterAll(() => eventStore.drop());

/** The read model adapter on the stack's read-model tables in DynamoDB Local, checking delivered events against the scratch event store; its calls listed by name. */
function recordingReadModel(): { model: DynamoDbAccountReadModel; sent: string[] } {
  const { client, sent } = recordingDynamo();
  const tables = { balances: output('BalancesTableName'), transactions: output('TransactionsTableName'), eventStore: eventStore.tableName };
  return { model: new DynamoDbAccountReadModel(client, tables), sent };
}

/** Stores `events` in the scratch event store as the store's own append writes them. */
async function store(events: readonly StoredEvent[]): Promise<void> {
  for (const event of events) await clients.dynamo.send(new PutCommand({ TableName: eventStore.tableName, Item: { ...event } }));
}

/** The run of `events` onto no row, with each event's delivered copy as the stream carries it (`alter` changes a copy). */
function verifiedRun(events: readonly StoredEvent[], alter: (copy: StoredEvent) => StoredEvent = (copy) => copy): VerifiedRun {
  return {
    run: runOf(foldChanges(undefined, events.map(accountEventFromStored)))!,
    delivered: events.map((event) => deliveredExpectation(event.streamId, storedEventToEnvelope(alter(event)))),
  };
}

async function readModelOf(accountId: string): Promise<{ balance: unknown; versions: number[] }> {
  const { model } = recordingReadModel();
  const Items = await transactionRows(accountId);
  return { balance: await model.getBalance(accountId), versions: Items.map((item) => Number(item.version)) };
}

describe('the read model commits delivered events checked against the event store, in one transaction', () => {
  it('writes the rows and the guarded balance row when the store holds every delivered event as delivered', async () => {
    const accountId = uniqueId('vc');
    const events = history(accountId).opened('Ada', 'EUR').deposit(30).withdraw(10).stored();
    await store(events);
    const { model, sent } = recordingReadModel();

    expect(await model.commitVerified([verifiedRun(events)])).toBe(true);

    expect(sent).toEqual(['TransactWriteCommand']);
    expect(await readModelOf(accountId)).toEqual({ balance: expect.objectContaining({ balance: 20, version: 3 }), versions: [1, 2, 3] });
  });

  it.each([
    ['its data differs (an altered amount)', (copy: StoredEvent) => (copy.version === 2 ? { ...copy, data: { ...(copy.data as object), amount: 31 } } : copy)],
    ['its data has a field more', (copy: StoredEvent) => (copy.version === 2 ? { ...copy, data: { ...(copy.data as object), extra: 'x' } } : copy)],
    ['its event id differs', (copy: StoredEvent) => (copy.version === 2 ? { ...copy, eventId: `${copy.eventId}X` } : copy)],
    ['its time differs', (copy: StoredEvent) => (copy.version === 2 ? { ...copy, time: '2020-01-01T00:00:00.000Z' } : copy)],
    ['its type differs', (copy: StoredEvent) => (copy.version === 2 ? { ...copy, type: 'sluice.account.withdrawn.v1' } : copy)],
  ])('writes nothing and answers false when a delivered event is not what the store holds: %s', async (_, alter) => {
    const accountId = uniqueId('vc');
    const events = history(accountId).opened('Ada', 'EUR').deposit(30).stored();
    await store(events);
    const { model } = recordingReadModel();

    expect(await model.commitVerified([verifiedRun(events, alter)])).toBe(false);

    expect(await readModelOf(accountId)).toEqual({ balance: undefined, versions: [] });
  });

  it('writes nothing when the store does not hold a delivered event at all, or a balance row is not at its run’s version', async () => {
    const [unstored, moved] = [uniqueId('vc'), uniqueId('vc')];
    const unstoredEvents = history(unstored).opened('Ada', 'EUR').stored();
    const movedEvents = history(moved).opened('Ada', 'EUR').deposit(5).stored();
    await store(movedEvents);
    const { model } = recordingReadModel();
    expect(await model.commitVerified([verifiedRun(movedEvents)])).toBe(true);

    // The first account's events were never stored; the second's row is at version 2, not absent.
    expect(await model.commitVerified([verifiedRun(unstoredEvents)])).toBe(false);
    expect(await model.commitVerified([verifiedRun(movedEvents)])).toBe(false);

    expect(await readModelOf(unstored)).toEqual({ balance: undefined, versions: [] });
    expect(await readModelOf(moved)).toEqual({ balance: expect.objectContaining({ balance: 5, version: 2 }), versions: [1, 2] });
  });

  it('writes several accounts at once, and a run without delivered copies checks nothing in the store', async () => {
    const [a, b] = [uniqueId('vc'), uniqueId('vc')];
    const stored = history(a).opened('Ada', 'EUR').deposit(7).stored();
    await store(stored);
    const unchecked = { run: runOf(foldChanges(undefined, history(b).opened('Bo', 'EUR').stored().map(accountEventFromStored)))!, delivered: [] };
    const { model, sent } = recordingReadModel();

    expect(await model.commitVerified([verifiedRun(stored), unchecked])).toBe(true);

    expect(sent).toEqual(['TransactWriteCommand']);
    expect(await readModelOf(a)).toEqual({ balance: expect.objectContaining({ balance: 7, version: 2 }), versions: [1, 2] });
    expect(await readModelOf(b)).toEqual({ balance: expect.objectContaining({ balance: 0, version: 1 }), versions: [1] });
  });
});
