import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { createNotifier } from '../../../lambdas/notifier/handler';
import { logger } from '../../../lambdas/shared/observability';
import { createEnvelope } from '../../../lambdas/shared/envelope';
import { accountEnvelope, fraudEnvelope } from '../../helpers/account-envelopes';
import { history } from '../../helpers/account-events';
import { swipedData } from '../../helpers/card-swipes';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';
import { FakeMessageBatchPort } from '../../helpers/fake-message-batch-port';
import { InMemoryEventStore, InMemorySnapshotStore } from '../../helpers/in-memory-event-store';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor } from '../../helpers/kinesis-records';

beforeAll(() => logger.setLogLevel('SILENT'));

const account = history().opened('Ada', 'EUR').deposit(1_000).withdraw(250);

function setup(refuse?: ConstructorParameters<typeof FakeMessageBatchPort>[0]) {
  const eventStore = new InMemoryEventStore();
  eventStore.seed(account.stored());
  const notifications = new FakeMessageBatchPort(refuse);
  const notify = createNotifier({ eventStore, snapshotStore: new InMemorySnapshotStore(), notifications });
  return { notify, notifications };
}

describe('notifier', () => {
  it('sends one notification per account event with the details read from the store at that version', async () => {
    const { notify, notifications } = setup();
    const envelopes = account.events.map(accountEnvelope);

    const response = await notify(kinesisEvent(...envelopes.map(kinesisRecordFor)));

    expect(response.batchItemFailures).toEqual([]);
    expect(notifications.calls).toHaveLength(1);
    expect(notifications.sentBodies()).toEqual([
      expect.objectContaining({ notificationId: envelopes[0].id, eventType: 'sluice.account.opened.v1', owner: 'Ada' }),
      expect.objectContaining({ notificationId: envelopes[1].id, text: expect.stringContaining('balance is now 10.00 EUR') }),
      expect.objectContaining({ notificationId: envelopes[2].id, text: expect.stringContaining('balance is now 7.50 EUR') }),
    ]);
  });

  it('notifies a fraud alert to the owner of the card’s account', async () => {
    const { notify, notifications } = setup();
    await notify(kinesisEvent(kinesisRecordFor(fraudEnvelope())));
    expect(notifications.sentBodies()).toEqual([expect.objectContaining({ accountId: 'acc-1', owner: 'Ada', subject: 'Suspicious card activity' })]);
  });

  it('skips a fraud alert for an account sluice does not know', async () => {
    const { notify, notifications } = setup();
    const response = await notify(kinesisEvent(kinesisRecordFor(fraudEnvelope({ accountId: 'stranger' }))));
    expect(response.batchItemFailures).toEqual([]);
    expect(notifications.calls).toEqual([]);
  });

  it('does not notify card swipes', async () => {
    const { notify, notifications } = setup();
    const swipe = createEnvelope({ type: 'sluice.card.swiped.v1', source: 'pos', subject: 'card-1', data: swipedData(), partitionkey: 'card-1' });

    const response = await notify(kinesisEvent(kinesisRecordFor(swipe)));

    expect(response.batchItemFailures).toEqual([]);
    expect(notifications.calls).toEqual([]);
  });

  it('fails exactly the record whose message the queue refused', async () => {
    const refusedId = accountEnvelope(account.events[1]).id;
    const { notify } = setup((message) => (message.body.includes(refusedId) ? 'InternalError' : undefined));
    const records = account.events.map((event) => kinesisRecordFor(accountEnvelope(event)));

    const response = await notify(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[1].kinesis.sequenceNumber]);
  });

  it('fails an event whose version the store does not hold yet, and holds back the rest', async () => {
    const { notify, notifications } = setup();
    const ahead = history().opened('Ada', 'EUR').deposit(1_000).withdraw(250).deposit(5).events[3];
    const records = [kinesisRecordFor(accountEnvelope(ahead)), kinesisRecordFor(fraudEnvelope())];

    // Every record failed: the handler throws, so the mapping retries (and bisects) the whole batch.
    await expect(notify(kinesisEvent(...records))).rejects.toThrow(FullBatchFailureError);
    expect(notifications.calls).toEqual([]);
  });
});

describe('notifier: one batch read of the stored events', () => {
  /** A BatchGetItem reader over its own copy of the account's history, counting calls. */
  function batchReader() {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored());
    const calls: number[] = [];
    return {
      calls,
      readEvents: async (keys: readonly { streamId: string; version: number }[]) => {
        calls.push(keys.length);
        const found = await Promise.all(keys.map(({ streamId, version }) => eventStore.readStream(streamId, { fromVersion: version, toVersion: version })));
        return found.flat();
      },
    };
  }

  function singleReadsOf(eventStore: InMemoryEventStore): Array<[number | undefined, number | undefined]> {
    const reads: Array<[number | undefined, number | undefined]> = [];
    const read = eventStore.readStream.bind(eventStore);
    eventStore.readStream = (streamId, options = {}) => {
      if (options.fromVersion !== undefined && options.fromVersion === options.toVersion) reads.push([options.fromVersion, options.toVersion]);
      return read(streamId, options);
    };
    return reads;
  }

  it('checks every account event against one batch read, with the same notifications as before', async () => {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored());
    const reader = batchReader();
    const singleReads = singleReadsOf(eventStore);
    const notifications = new FakeMessageBatchPort();
    const envelopes = account.events.map(accountEnvelope);

    const response = await createNotifier({ eventStore, snapshotStore: new InMemorySnapshotStore(), notifications, storedEvents: reader })(
      kinesisEvent(...envelopes.map(kinesisRecordFor)),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(reader.calls).toEqual([3]);
    expect(singleReads).toEqual([]);
    expect(notifications.sentBodies().map((body: any) => body.notificationId)).toEqual(envelopes.map((envelope) => envelope.id));
  });

  it('still refuses an event the store does not hold, from the batch read', async () => {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored());
    const deadLetters = new FakeDeadLetterQueue();
    const forged = { ...account.events[1]!, eventId: 'forged-1' };
    const notifications = new FakeMessageBatchPort();

    const response = await createNotifier({ eventStore, snapshotStore: new InMemorySnapshotStore(), notifications, storedEvents: batchReader(), deadLetters })(
      kinesisEvent(kinesisRecordFor(accountEnvelope(forged))),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters.letters().map((letter) => letter.reason)).toEqual(['untrusted_event']);
    expect(notifications.calls).toEqual([]);
  });

  it('answers a version the batch read did not find as absent, without reading it again', async () => {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored());
    const singleReads = singleReadsOf(eventStore);
    const deadLetters = new FakeDeadLetterQueue();
    const ahead = history().opened('Ada', 'EUR').deposit(1_000).withdraw(250).deposit(5).events[3]!;

    await createNotifier({
      eventStore,
      snapshotStore: new InMemorySnapshotStore(),
      notifications: new FakeMessageBatchPort(),
      storedEvents: batchReader(),
      deadLetters,
    })(kinesisEvent(kinesisRecordFor(accountEnvelope(ahead))));

    expect(singleReads).toEqual([]);
    expect(deadLetters.letters().map((letter) => letter.reason)).toEqual(['untrusted_event']);
  });

  it("reads each account's snapshot and history once per batch, with the same notifications as one read per event", async () => {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored());
    const historyReads: Array<[number | undefined, number | undefined]> = [];
    const read = eventStore.readStream.bind(eventStore);
    eventStore.readStream = (streamId, options = {}) => {
      historyReads.push([options.fromVersion, options.toVersion]);
      return read(streamId, options);
    };
    const snapshotStore = new InMemorySnapshotStore();
    const notifications = new FakeMessageBatchPort();
    const envelopes = account.events.map(accountEnvelope);

    const response = await createNotifier({ eventStore, snapshotStore, notifications, storedEvents: batchReader() })(
      kinesisEvent(...envelopes.map(kinesisRecordFor)),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(snapshotStore.loads).toBe(1);
    expect(historyReads).toEqual([[1, 3]]);
    const perEvent = setup();
    await perEvent.notify(kinesisEvent(...envelopes.map(kinesisRecordFor)));
    expect(notifications.sentBodies()).toEqual(perEvent.notifications.sentBodies());
  });

  it('falls back to one read per event when the batch read fails', async () => {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored());
    const notifications = new FakeMessageBatchPort();
    const failing = { readEvents: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };

    const response = await createNotifier({ eventStore, snapshotStore: new InMemorySnapshotStore(), notifications, storedEvents: failing })(
      kinesisEvent(...account.events.map((event) => kinesisRecordFor(accountEnvelope(event)))),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(notifications.sentBodies()).toHaveLength(3);
  });
});
