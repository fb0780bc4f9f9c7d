import { createProjector } from '../../../lambdas/projector/handler';
import { createEnvelope } from '../../../lambdas/shared/envelope';
import { storedEventToEnvelope } from '../../../lambdas/shared/event-store/stored-event';
import { logger } from '../../../lambdas/shared/observability';
import { history } from '../../helpers/account-events';
import { InMemoryEventStore } from '../../helpers/in-memory-event-store';
import { InMemoryReadModel } from '../../helpers/in-memory-read-model';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor } from '../../helpers/kinesis-records';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';

logger.setLogLevel('SILENT');

const stored = history('a1').opened().deposit(100).withdraw(40).stored();
const records = () => stored.map((event) => kinesisRecordFor(storedEventToEnvelope(event)));

function setup() {
  const eventStore = new InMemoryEventStore();
  eventStore.seed(stored);
  const readModel = new InMemoryReadModel();
  return { readModel, project: createProjector({ readModel, eventStore }) };
}

describe('projector handler', () => {
  it('projects account events into balances and transactions', async () => {
    const { readModel, project } = setup();

    const response = await project(kinesisEvent(...records()));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 60, version: 3 });
    expect(readModel.transactions.map((row) => row.kind)).toEqual(['opened', 'deposit', 'withdrawal']);
  });

  it('skips redelivered events and heals a gap from the event store', async () => {
    const { readModel, project } = setup();
    const [opened, , withdrawn] = records();

    await project(kinesisEvent(opened, withdrawn, opened));

    expect(readModel.transactions.map((row) => row.version)).toEqual([1, 2, 3]);
  });

  it('acknowledges catalogued events it does not project', async () => {
    const { readModel, project } = setup();
    const swipe = createEnvelope({
      type: 'sluice.card.swiped.v1',
      source: 'pos/1',
      subject: 'card-1',
      data: { cardId: 'card-1', accountId: 'a1', amount: 500, merchant: 'Shop', country: 'FR', at: '2025-01-01T10:00:00Z' },
    });

    const response = await project(kinesisEvent(kinesisRecordFor(swipe)));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.transactions).toEqual([]);
  });

  it('fails an unknown type without a DLQ, and still projects the accounts around it', async () => {
    const { readModel, project } = setup();
    const unknown = kinesisRecordFor(createEnvelope({ type: 'sluice.account.closed.v1', source: 's', subject: 'a1', data: {} }));
    const [opened, deposited] = records();

    const response = await project(kinesisEvent(opened, unknown, deposited));

    // Lambda resumes from the unknown record; the deposit after it comes again and is skipped by version.
    expect(failedSequenceNumbers(response)).toEqual([unknown.kinesis.sequenceNumber]);
    expect(readModel.balances.get('a1')).toMatchObject({ version: 2 });
  });

  it('sends an unknown type to its DLQ with the reason and projects the records after it', async () => {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(stored);
    const readModel = new InMemoryReadModel();
    const deadLetters = new FakeDeadLetterQueue();
    const project = createProjector({ readModel, eventStore, deadLetters });
    const unknown = kinesisRecordFor(createEnvelope({ type: 'sluice.account.closed.v1', source: 's', subject: 'a1', data: {} }));
    const [opened, deposited] = records();

    const response = await project(kinesisEvent(opened, unknown, deposited));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.balances.get('a1')).toMatchObject({ version: 2 });
    expect(deadLetters.letters()).toEqual([
      expect.objectContaining({
        reason: 'unknown_event_type',
        consumer: 'projector',
        record: expect.objectContaining({ sequenceNumber: unknown.kinesis.sequenceNumber }),
      }),
    ]);
  });

  it('fails the first record of an account on a transient read-model error and sends nothing to the DLQ', async () => {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(stored);
    const readModel = new InMemoryReadModel();
    readModel.putBalance = async () => {
      throw new Error('ThrottlingException');
    };
    const deadLetters = new FakeDeadLetterQueue();
    const [opened, deposited] = records();

    const response = await createProjector({ readModel, eventStore, deadLetters })(kinesisEvent(opened, deposited));

    expect(failedSequenceNumbers(response)).toEqual([opened.kinesis.sequenceNumber]);
    expect(deadLetters.messages).toEqual([]);
  });

  it('projects a stored deposited.v1 event as v2 (channel unknown)', async () => {
    const eventStore = new InMemoryEventStore();
    const v1History = stored.map((event) =>
      event.version === 2 ? { ...event, type: 'sluice.account.deposited.v1', data: { accountId: 'a1', amount: 100 } } : event,
    );
    eventStore.seed(v1History);
    const readModel = new InMemoryReadModel();

    const response = await createProjector({ readModel, eventStore })(kinesisEvent(...v1History.map((event) => kinesisRecordFor(storedEventToEnvelope(event)))));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 60, version: 3 });
    expect(readModel.transactions.map((row) => [row.kind, row.amount, row.balanceAfter])).toEqual([
      ['opened', 0, 0],
      ['deposit', 100, 100],
      ['withdrawal', 40, 60],
    ]);
  });
});
