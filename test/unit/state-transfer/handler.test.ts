import { logger } from '../../../lambdas/shared/observability';
import { createStateTransfer } from '../../../lambdas/state-transfer/handler';
import { accountEnvelope, fraudEnvelope } from '../../helpers/account-envelopes';
import { history } from '../../helpers/account-events';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';
import { FakeMessageBatchPort } from '../../helpers/fake-message-batch-port';
import { InMemoryEventStore, InMemorySnapshotStore } from '../../helpers/in-memory-event-store';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor } from '../../helpers/kinesis-records';

beforeAll(() => logger.setLogLevel('SILENT'));

const account = history().opened('Ada', 'EUR').deposit(1_000).withdraw(250);

function setup(refuse?: ConstructorParameters<typeof FakeMessageBatchPort>[0]) {
  const eventStore = new InMemoryEventStore();
  eventStore.seed(account.stored());
  const queue = new FakeMessageBatchPort(refuse);
  const transfer = createStateTransfer({ eventStore, snapshotStore: new InMemorySnapshotStore(), stateTransferQueue: queue });
  return { transfer, queue };
}

describe('state-transfer', () => {
  it('sends the full state after each account event, grouped by account and deduplicated by version', async () => {
    const { transfer, queue } = setup();

    const response = await transfer(kinesisEvent(...account.events.map((event) => kinesisRecordFor(accountEnvelope(event)))));

    expect(response.batchItemFailures).toEqual([]);
    expect(queue.calls.flat().map(({ groupId, deduplicationId }) => ({ groupId, deduplicationId }))).toEqual([
      { groupId: 'acc-1', deduplicationId: 'acc-1#1' },
      { groupId: 'acc-1', deduplicationId: 'acc-1#2' },
      { groupId: 'acc-1', deduplicationId: 'acc-1#3' },
    ]);
    expect(queue.sentBodies().map((body) => (body as { data: { balance: number } }).data.balance)).toEqual([0, 1_000, 750]);
  });

  it('sends the same envelope id when the same event is processed again', async () => {
    const { transfer, queue } = setup();
    const record = kinesisRecordFor(accountEnvelope(account.events[1]));

    await transfer(kinesisEvent(record));
    await transfer(kinesisEvent(record));

    const [first, second] = queue.sentBodies() as { id: string }[];
    expect(first.id).toBe(second.id);
  });

  it('skips events that are not account events', async () => {
    const { transfer, queue } = setup();
    await transfer(kinesisEvent(kinesisRecordFor(fraudEnvelope())));
    expect(queue.calls).toEqual([]);
  });

  it('fails the record whose message the queue refused', async () => {
    const { transfer } = setup((message) => (message.deduplicationId === 'acc-1#2' ? 'InternalError' : undefined));
    const records = account.events.map((event) => kinesisRecordFor(accountEnvelope(event)));

    const response = await transfer(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[1].kinesis.sequenceNumber]);
  });
});

describe('state-transfer: one read of each account per batch', () => {
  /** The store's reads as the handler makes them: batch reads (key counts) and stream reads (`from..to`). */
  function countedStore() {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored());
    const batchReads: number[] = [];
    const streamReads: string[] = [];
    const readEvents = eventStore.readEvents.bind(eventStore);
    const readStream = eventStore.readStream.bind(eventStore);
    eventStore.readEvents = (keys) => {
      batchReads.push(keys.length);
      return readEvents(keys);
    };
    eventStore.readStream = (streamId, options = {}) => {
      streamReads.push(`${options.fromVersion ?? 1}..${options.toVersion ?? 'end'}`);
      return readStream(streamId, options);
    };
    return { eventStore, batchReads, streamReads };
  }

  it('checks the batch against one batch read and reads the account once, with the same states as before', async () => {
    const { eventStore, batchReads, streamReads } = countedStore();
    const queue = new FakeMessageBatchPort();

    const response = await createStateTransfer({ eventStore, storedEvents: eventStore, snapshotStore: new InMemorySnapshotStore(), stateTransferQueue: queue })(
      kinesisEvent(...account.events.map((event) => kinesisRecordFor(accountEnvelope(event)))),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(batchReads).toEqual([3]);
    // One history read up to the batch's newest version, not one trust read and one history read per event.
    expect(streamReads).toEqual(['1..3']);
    expect(queue.sentBodies().map((body) => (body as { data: { balance: number } }).data.balance)).toEqual([0, 1_000, 750]);
  });

  it('still refuses an event the store does not hold, from the batch read', async () => {
    const { eventStore, streamReads } = countedStore();
    const queue = new FakeMessageBatchPort();
    const deadLetters = new FakeDeadLetterQueue();
    const forged = { ...account.events[1]!, eventId: 'forged-1' };

    const response = await createStateTransfer({
      eventStore,
      storedEvents: eventStore,
      snapshotStore: new InMemorySnapshotStore(),
      stateTransferQueue: queue,
      deadLetters,
    })(kinesisEvent(kinesisRecordFor(accountEnvelope(forged))));

    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters.letters().map((letter) => letter.reason)).toEqual(['untrusted_event']);
    expect(streamReads).toEqual([]);
    expect(queue.calls).toEqual([]);
  });
});
