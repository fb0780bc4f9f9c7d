import { createProjector } from '../../../lambdas/projector/handler';
import { createEnvelope } from '../../../lambdas/shared/envelope';
import { storedEventToEnvelope } from '../../../lambdas/shared/event-store/stored-event';
import { logger } from '../../../lambdas/shared/observability';
import { history } from '../../helpers/account-events';
import { InMemoryEventStore } from '../../helpers/in-memory-event-store';
import { InMemoryReadModel } from '../../helpers/in-memory-read-model';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor } from '../../helpers/kinesis-records';

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

  it('fails an unknown type, and the records after it', async () => {
    const { project } = setup();
    const unknown = kinesisRecordFor(createEnvelope({ type: 'sluice.account.closed.v1', source: 's', subject: 'a1', data: {} }));
    const [opened, deposited] = records();

    const response = await project(kinesisEvent(opened, unknown, deposited));

    expect(failedSequenceNumbers(response)).toEqual([unknown.kinesis.sequenceNumber, deposited.kinesis.sequenceNumber]);
  });
});
