import { BalanceRowCache } from '../../../lambdas/domain/accounts';
import { createProjector } from '../../../lambdas/projector/handler';
import { storedEventToEnvelope } from '../../../lambdas/shared/event-store/stored-event';
import type { StoredEvent } from '../../../lambdas/shared/event-store/port';
import { logger } from '../../../lambdas/shared/observability';
import { depositsOf } from '../../helpers/account-events';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';
import { InMemoryEventStore } from '../../helpers/in-memory-event-store';
import { InMemoryReadModel } from '../../helpers/in-memory-read-model';
import { InMemoryVerifiedCommit } from '../../helpers/in-memory-verified-commit';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor } from '../../helpers/kinesis-records';

logger.setLogLevel('SILENT');

/** `n` events of one account: opened, then deposits of 10. */
const account = depositsOf;

const recordOf = (event: StoredEvent) => kinesisRecordFor(storedEventToEnvelope(event));

/** A projector that remembers its rows and writes a batch in one verified call when it can; every read and write recorded. */
function setup(maxActions = 100, ...histories: StoredEvent[][]) {
  const eventStore = new InMemoryEventStore();
  for (const h of histories) eventStore.seed(h);
  const readModel = new InMemoryReadModel();
  const verifiedCommit = new InMemoryVerifiedCommit(readModel, eventStore, maxActions);
  const deadLetters = new FakeDeadLetterQueue();
  const storeReads = jest.spyOn(eventStore, 'readEvents');
  const rows = new BalanceRowCache();
  const project = createProjector({ readModel, eventStore, deadLetters, verifiedCommit, rows });
  return { eventStore, readModel, verifiedCommit, deadLetters, storeReads, rows, project };
}

describe('projector: a batch of remembered accounts in one verified write, reading nothing', () => {
  it('opens accounts and applies their next events, one write per batch and no read', async () => {
    const [a1, a2] = [account('a1', 3), account('a2', 2)];
    const { readModel, verifiedCommit, storeReads, project } = setup(100, a1, a2);

    expect(await project(kinesisEvent(recordOf(a1[0]!), recordOf(a2[0]!)))).toEqual({ batchItemFailures: [] });
    expect(await project(kinesisEvent(recordOf(a1[1]!), recordOf(a2[1]!), recordOf(a1[2]!)))).toEqual({ batchItemFailures: [] });

    expect(
      verifiedCommit.calls.map((call) => [call.written, call.runs.map(({ run }) => [run.balance.accountId, run.previousVersion, run.balance.version])]),
    ).toEqual([
      [
        true,
        [
          ['a1', 0, 1],
          ['a2', 0, 1],
        ],
      ],
      [
        true,
        [
          ['a1', 1, 3],
          ['a2', 1, 2],
        ],
      ],
    ]);
    expect(readModel.balanceReads).toEqual([]);
    expect(storeReads).not.toHaveBeenCalled();
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 20, version: 3 });
    expect(readModel.transactions.map((row) => [row.accountId, row.version, row.balanceAfter])).toEqual([
      ['a1', 1, 0],
      ['a1', 2, 10],
      ['a1', 3, 20],
      ['a2', 1, 0],
      ['a2', 2, 10],
    ]);
  });

  it('dead-letters a forged copy: the verified write is refused, and the reading path finds it', async () => {
    const h = account('a1', 3);
    const { readModel, verifiedCommit, deadLetters, project } = setup(100, h);
    await project(kinesisEvent(recordOf(h[0]!)));
    const forged = { ...h[1]!, data: { accountId: 'a1', amount: 1_000_000, channel: 'api' } };

    const response = await project(kinesisEvent(recordOf(forged), recordOf(h[2]!)));

    expect(response.batchItemFailures).toEqual([]);
    expect(verifiedCommit.calls.map((call) => call.written)).toEqual([true, false, true]);
    expect(deadLetters.letters().map((letter) => letter.reason)).toEqual(['untrusted_event']);
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 20, version: 3 });
  });

  it('applies from the row it reads when another writer moved a remembered row, once', async () => {
    const h = account('a1', 4);
    const { eventStore, readModel, verifiedCommit, project } = setup(100, h);
    await project(kinesisEvent(recordOf(h[0]!)));
    // Another container projected version 2 meanwhile: this one still remembers version 1.
    await createProjector({ readModel, eventStore })(kinesisEvent(recordOf(h[1]!)));

    const response = await project(kinesisEvent(recordOf(h[1]!), recordOf(h[2]!), recordOf(h[3]!)));

    expect(response.batchItemFailures).toEqual([]);
    expect(verifiedCommit.calls.map((call) => call.written)).toEqual([true, false, true]);
    // The reading path's write: from the row read at version 2, versions 3 and 4 only.
    expect(verifiedCommit.calls[2]!.runs.map(({ run, delivered }) => [run.previousVersion, run.balance.version, delivered.length])).toEqual([[2, 4, 0]]);
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 30, version: 4 });
    expect(readModel.transactions.map((row) => row.version)).toEqual([1, 2, 3, 4]);
  });

  it('falls back to the reading path and its separate writes when the one write fails, and reports nothing applied twice', async () => {
    const h = account('a1', 3);
    const { readModel, verifiedCommit, project } = setup(100, h);
    await project(kinesisEvent(recordOf(h[0]!)));
    verifiedCommit.failWith = new Error('ProvisionedThroughputExceededException (test)');

    const response = await project(kinesisEvent(recordOf(h[1]!), recordOf(h[2]!)));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.balanceReads).toEqual([['a1']]);
    // The first batch's rows went in its one write; the second's in a batch write of their own.
    expect(readModel.transactionWrites.map((rows) => rows.map((row) => row.version))).toEqual([[1], [2, 3]]);
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 20, version: 3 });
  });

  it('reports a forgotten account at its first unapplied record when every write fails, and remembers nothing of it', async () => {
    const h = account('a1', 3);
    const { readModel, verifiedCommit, rows, project } = setup(100, h);
    await project(kinesisEvent(recordOf(h[0]!)));
    verifiedCommit.failWith = new Error('InternalServerError (test)');
    readModel.putBalance = async () => {
      throw new Error('InternalServerError (test)');
    };
    const records = [recordOf(h[1]!), recordOf(h[2]!)];

    const response = await project(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[0]!.kinesis.sequenceNumber]);
    expect(rows.get('a1')).toBeUndefined();
    expect(readModel.balances.get('a1')).toMatchObject({ version: 1 });
  });

  it('takes the reading path for a batch over the one write’s actions, and writes rows and balance rows apart when even they do not fit', async () => {
    // 3 events: 7 actions with checks, 4 without; 5 events: 6 without.
    const [short, long] = [account('a1', 3), account('a2', 5)];
    const { readModel, verifiedCommit, project } = setup(5, short, long);

    await project(kinesisEvent(...short.map(recordOf)));
    await project(kinesisEvent(...long.map(recordOf)));

    expect(verifiedCommit.calls.map((call) => call.runs.map(({ run, delivered }) => [run.balance.accountId, delivered.length]))).toEqual([[['a1', 0]]]);
    expect(readModel.balanceReads).toEqual([['a1'], ['a2']]);
    expect(readModel.transactionWrites.map((rows) => rows.length)).toEqual([3, 5]);
    expect(readModel.balances.get('a2')).toMatchObject({ balance: 40, version: 5 });
  });

  it('reads the row for a redelivery of remembered events and writes nothing', async () => {
    const h = account('a1', 2);
    const { readModel, verifiedCommit, project } = setup(100, h);
    await project(kinesisEvent(...h.map(recordOf)));

    expect(await project(kinesisEvent(...h.map(recordOf)))).toEqual({ batchItemFailures: [] });

    expect(verifiedCommit.calls).toHaveLength(1);
    expect(readModel.balanceReads).toEqual([['a1']]);
    expect(readModel.transactions).toHaveLength(2);
  });
});

describe('projector: a batch over the one write reads the rows it does not remember', () => {
  it('folds a remembered account onto its row without reading it, and still reads the store for every delivered event', async () => {
    // maxActions 5: every batch here takes the reading path.
    const [a1, a2] = [account('a1', 6), account('a2', 3)];
    const { readModel, storeReads, project } = setup(5, a1, a2);
    await project(kinesisEvent(...a1.slice(0, 3).map(recordOf)));

    const response = await project(kinesisEvent(...a1.slice(3).map(recordOf), ...a2.map(recordOf)));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.balanceReads).toEqual([['a1'], ['a2']]);
    expect(storeReads.mock.calls.map(([keys]) => keys.map((key) => `${key.streamId}@${key.version}`))).toEqual([
      ['account#a1@1', 'account#a1@2', 'account#a1@3'],
      ['account#a1@4', 'account#a1@5', 'account#a1@6', 'account#a2@1', 'account#a2@2', 'account#a2@3'],
    ]);
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 50, version: 6 });
    expect(readModel.balances.get('a2')).toMatchObject({ balance: 20, version: 3 });
  });

  it('plans a wrongly remembered account again from a read in the same invocation, failing no record', async () => {
    const h = account('a1', 6);
    const { eventStore, readModel, project } = setup(5, h);
    await project(kinesisEvent(...h.slice(0, 3).map(recordOf)));
    // Another container projected version 4 meanwhile: this one still remembers version 3.
    await createProjector({ readModel, eventStore })(kinesisEvent(recordOf(h[3]!)));

    const response = await project(kinesisEvent(...h.slice(3).map(recordOf)));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.balanceReads).toEqual([['a1'], ['a1'], ['a1']]); // first batch, the other container, the second plan
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 50, version: 6 });
    expect(readModel.transactions.map((row) => [row.version, row.balanceAfter])).toEqual([
      [1, 0],
      [2, 10],
      [3, 20],
      [4, 30],
      [5, 40],
      [6, 50],
    ]);
  });
});
