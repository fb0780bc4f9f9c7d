import type { KinesisStreamRecord } from 'aws-lambda';
import type { ReadModelRun } from '../../../lambdas/domain/accounts';
import { createProjector } from '../../../lambdas/projector/handler';
import { createEnvelope } from '../../../lambdas/shared/envelope';
import { storedEventToEnvelope } from '../../../lambdas/shared/event-store/stored-event';
import type { StoredEvent } from '../../../lambdas/shared/event-store/port';
import { logger } from '../../../lambdas/shared/observability';
import { interpretStreamOutcome } from '../../../local/mappings/stream-planning';
import { depositsOf } from '../../helpers/account-events';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';
import { InMemoryEventStore } from '../../helpers/in-memory-event-store';
import { InMemoryReadModel } from '../../helpers/in-memory-read-model';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor } from '../../helpers/kinesis-records';

logger.setLogLevel('SILENT');

/** `n` events of one account: opened, then deposits of 10. */
const account = depositsOf;

const recordOf = (event: StoredEvent) => kinesisRecordFor(storedEventToEnvelope(event));

/** Interleaves histories the way one shard carries several accounts' events. */
function interleave(...histories: StoredEvent[][]): StoredEvent[] {
  const longest = Math.max(...histories.map((h) => h.length));
  return Array.from({ length: longest }, (_, i) => histories.flatMap((h) => (h[i] ? [h[i]] : []))).flat();
}

function setup(...histories: StoredEvent[][]) {
  const eventStore = new InMemoryEventStore();
  for (const h of histories) eventStore.seed(h);
  const readModel = new InMemoryReadModel();
  const deadLetters = new FakeDeadLetterQueue();
  return { eventStore, readModel, deadLetters, project: createProjector({ readModel, eventStore, deadLetters }) };
}

/** The records Lambda delivers again after a response: from the lowest reported one on (the local mapping's own rule). */
function redelivered(records: readonly KinesisStreamRecord[], response: unknown): KinesisStreamRecord[] {
  const verdict = interpretStreamOutcome(
    records.map((r) => r.kinesis.sequenceNumber),
    { ok: true, result: response },
    true,
  );
  return records.slice(verdict.failedFrom);
}

/** Makes the guarded balance write fail (500-like) for one account while `failing()` is true; its rows are written before. */
function failWritesOf(readModel: InMemoryReadModel, accountId: string, failing: (run: ReadModelRun) => boolean) {
  const write = readModel.putBalance.bind(readModel);
  readModel.putBalance = async (run) => {
    if (run.balance.accountId === accountId && failing(run)) throw new Error('InternalServerError (test)');
    return write(run);
  };
}

/** Makes the batch write of transaction rows leave one account's rows unwritten (the others are written). */
function failRowsOf(readModel: InMemoryReadModel, accountId: string) {
  const write = readModel.putTransactions.bind(readModel);
  readModel.putTransactions = async (rows) => {
    await write(rows.filter((row) => row.accountId !== accountId));
    return new Map([[accountId, new Error('ProvisionedThroughputExceededException (test)')]]);
  };
}

/** The transactions a reader sees: the query lists only those the balance row includes. */
async function visibleVersions(readModel: InMemoryReadModel, accountId: string): Promise<number[]> {
  const upToVersion = (await readModel.getBalance(accountId))?.version ?? 0;
  return (await readModel.listTransactions(accountId, { limit: 100, upToVersion })).items.map((row) => row.version);
}

describe('projector: one guarded balance write per account per batch, the rows of all accounts together', () => {
  it('writes each account of a batch once, with all its transaction rows', async () => {
    const histories = [account('a1', 5), account('a2', 3), account('a3', 4)];
    const { eventStore, readModel, project } = setup(...histories);
    const readsByKey = jest.spyOn(eventStore, 'readEvents');
    const rangeReads = jest.spyOn(eventStore, 'readStream');

    const response = await project(kinesisEvent(...interleave(...histories).map(recordOf)));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.runs.map((run) => [run.balance.accountId, run.previousVersion, run.transactions.length]).sort()).toEqual([
      ['a1', 0, 5],
      ['a2', 0, 3],
      ['a3', 0, 4],
    ]);
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 40, version: 5 });
    expect(readModel.transactions.filter((row) => row.accountId === 'a1').map((row) => row.balanceAfter)).toEqual([0, 10, 20, 30, 40]);
    // Shared between the accounts: one read of their rows and one of their stored events, one write of all their
    // transaction rows, one guarded write of all their balance rows.
    expect(readModel.balanceReads.map((ids) => [...ids].sort())).toEqual([['a1', 'a2', 'a3']]);
    expect(readsByKey).toHaveBeenCalledTimes(1);
    expect(readsByKey.mock.calls[0]![0]).toHaveLength(12);
    expect(rangeReads).not.toHaveBeenCalled();
    expect(readModel.transactionWrites.map((rows) => rows.length)).toEqual([12]);
    expect(readModel.balanceWrites.map((runs) => runs.map((run) => run.balance.accountId).sort())).toEqual([['a1', 'a2', 'a3']]);
  });

  it('writes an account of 150 events with one guarded balance write', async () => {
    const long = account('a1', 150);
    const { readModel, project } = setup(long);

    await project(kinesisEvent(...long.map(recordOf)));

    expect(readModel.runs.map((run) => [run.previousVersion, run.balance.version, run.transactions.length])).toEqual([[0, 150, 150]]);
  });

  it('writes no row for a batch of redeliveries', async () => {
    const h = account('a1', 3);
    const { readModel, project } = setup(h);
    await project(kinesisEvent(...h.map(recordOf)));

    const again = await project(kinesisEvent(...h.map(recordOf)));

    expect(again.batchItemFailures).toEqual([]);
    expect(readModel.transactionWrites).toHaveLength(1);
    expect(readModel.runs).toHaveLength(1);
  });

  it('reports only the failing account, at its first unapplied record; the others are applied once', async () => {
    const histories = [account('a1', 3), account('a2', 3), account('a3', 3)];
    const { readModel, project } = setup(...histories);
    const records = interleave(...histories).map(recordOf);
    failWritesOf(readModel, 'a2', () => true);

    const response = await project(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[1]!.kinesis.sequenceNumber]); // a2's opened, nothing after it
    expect(readModel.balances.get('a1')).toMatchObject({ version: 3 });
    expect(readModel.balances.get('a3')).toMatchObject({ version: 3 });
    expect(readModel.balances.has('a2')).toBe(false);
  });

  it('converges on redelivery from the lowest reported record, other accounts skipped by version', async () => {
    const histories = [account('a1', 4), account('a2', 4), account('a3', 4)];
    const { readModel, deadLetters, project } = setup(...histories);
    const records = interleave(...histories).map(recordOf);
    let failures = 1;
    failWritesOf(readModel, 'a2', () => failures-- > 0);

    const first = await project(kinesisEvent(...records));
    const again = redelivered(records, first);
    const second = await project(kinesisEvent(...again));

    expect(again.length).toBe(records.length - 1); // from a2's opened on
    expect(second.batchItemFailures).toEqual([]);
    for (const id of ['a1', 'a2', 'a3']) {
      expect(readModel.transactions.filter((row) => row.accountId === id).map((row) => row.version)).toEqual([1, 2, 3, 4]);
    }
    // a1 and a3 were written once in all; the redelivery wrote only a2, and took nothing redelivered for poison.
    expect(readModel.runs.map((run) => run.balance.accountId).sort()).toEqual(['a1', 'a2', 'a3']);
    expect(deadLetters.messages).toEqual([]);
  });

  it("keeps an account's rows invisible while its balance write fails, and writes the same rows again on redelivery", async () => {
    const histories = [account('a1', 3), account('a2', 3)];
    const { readModel, project } = setup(...histories);
    await project(kinesisEvent(recordOf(histories[1]![0]!)));
    const records = interleave(...histories).map(recordOf);
    let failures = 1;
    failWritesOf(readModel, 'a2', () => failures-- > 0);

    const first = await project(kinesisEvent(...records));

    // The batch wrote a2's rows 2 and 3 with the others', then its balance write failed: a reader sees version 1 only.
    expect(failedSequenceNumbers(first)).toEqual([records[3]!.kinesis.sequenceNumber]); // a2's version 2
    expect(readModel.transactions.filter((row) => row.accountId === 'a2').map((row) => row.version)).toEqual([1, 2, 3]);
    expect(await visibleVersions(readModel, 'a2')).toEqual([1]);
    expect(await visibleVersions(readModel, 'a1')).toEqual([1, 2, 3]);
    const written = readModel.transactions.filter((row) => row.accountId === 'a2');

    const second = await project(kinesisEvent(...redelivered(records, first)));

    expect(second.batchItemFailures).toEqual([]);
    expect(await visibleVersions(readModel, 'a2')).toEqual([1, 2, 3]);
    expect(readModel.transactions.filter((row) => row.accountId === 'a2')).toEqual(written);
  });

  it('reports an account whose transaction rows were not all written, and leaves its balance row where it was', async () => {
    const histories = [account('a1', 2), account('a2', 2)];
    const { readModel, project } = setup(...histories);
    const records = interleave(...histories).map(recordOf);
    failRowsOf(readModel, 'a1');

    const response = await project(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[0]!.kinesis.sequenceNumber]);
    expect(readModel.balances.has('a1')).toBe(false);
    expect(readModel.balances.get('a2')).toMatchObject({ version: 2 });
  });

  it('reports every account at its first record when the balance rows cannot be read, and writes nothing', async () => {
    const histories = [account('a1', 2), account('a2', 2)];
    const { readModel, project } = setup(...histories);
    const records = interleave(...histories).map(recordOf);
    readModel.getBalances = async () => {
      throw new Error('ThrottlingException (test)');
    };

    const response = await project(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[0]!.kinesis.sequenceNumber, records[1]!.kinesis.sequenceNumber]);
    expect(readModel.transactionWrites).toEqual([]);
  });

  it('reports the account whose row another writer moved between the read and the guarded write', async () => {
    const h = account('a1', 3);
    const { readModel, project } = setup(h);
    const getBalances = readModel.getBalances.bind(readModel);
    readModel.getBalances = async (ids) => {
      const rows = await getBalances(ids);
      await readModel.putBalance({
        previousVersion: 0,
        balance: { accountId: 'a1', owner: 'x', currency: 'EUR', balance: 0, version: 1, openedAt: 't', updatedAt: 't' },
        transactions: [],
      });
      return rows;
    };
    const records = h.map(recordOf);

    const response = await project(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[0]!.kinesis.sequenceNumber]);
    expect(readModel.balances.get('a1')).toMatchObject({ version: 1 });
  });

  it('reports the first event above the row, not a redelivered one below it', async () => {
    const h = account('a1', 4);
    const { readModel, project } = setup(h);
    await project(kinesisEvent(...h.slice(0, 2).map(recordOf)));
    failWritesOf(readModel, 'a1', () => true);
    const records = h.map(recordOf);

    const response = await project(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[2]!.kinesis.sequenceNumber]);
  });

  it('fills a gap from the event store in the same write', async () => {
    const h = account('a1', 5);
    const { readModel, project } = setup(h);

    await project(kinesisEvent(recordOf(h[0]!), recordOf(h[4]!)));

    expect(readModel.runs.map((run) => run.transactions.map((row) => row.version))).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('reads the delivered versions from the store while it reads the row, and the gap below them after it', async () => {
    const a = account('acc-a', 5);
    const { eventStore, readModel, project } = setup(a);
    await project(kinesisEvent(recordOf(a[0]!)));
    const reads: Array<{ versions?: number[]; fromVersion?: number; toVersion?: number; rowRead: boolean }> = [];
    let rowRead = false;
    const getBalances = readModel.getBalances.bind(readModel);
    readModel.getBalances = async (accountIds) => {
      const rows = await getBalances(accountIds);
      rowRead = true;
      return rows;
    };
    const readEvents = eventStore.readEvents.bind(eventStore);
    eventStore.readEvents = (keys) => {
      reads.push({ versions: keys.map((key) => key.version), rowRead });
      return readEvents(keys);
    };
    const readStream = eventStore.readStream.bind(eventStore);
    eventStore.readStream = (streamId, options = {}) => {
      reads.push({ ...options, rowRead });
      return readStream(streamId, options);
    };

    // The row is at v1; v4 and v5 arrive (v2 and v3 were lost): one read by key alongside the row's, one range for the gap.
    const response = await project(kinesisEvent(recordOf(a[3]!), recordOf(a[4]!)));

    expect(response.batchItemFailures).toEqual([]);
    expect(reads).toEqual([
      { versions: [4, 5], rowRead: false },
      { fromVersion: 2, toVersion: 3, rowRead: true },
    ]);
    expect((await readModel.getBalance('acc-a'))?.version).toBe(5);
  });

  it('dead-letters a poison record before the checkpoint, and leaves one after it for the redelivery', async () => {
    const [a1, a2] = [account('a1', 2), account('a2', 2)];
    const { readModel, deadLetters, project } = setup(a1, a2);
    const poison = () => kinesisRecordFor(createEnvelope({ type: 'sluice.account.closed.v1', source: 's', subject: 'x', data: {} }));
    const [early, late] = [poison(), poison()];
    const records = [recordOf(a1[0]!), early, recordOf(a2[0]!), late, recordOf(a1[1]!), recordOf(a2[1]!)];
    failWritesOf(readModel, 'a2', () => true);

    const response = await project(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[2]!.kinesis.sequenceNumber]);
    expect(deadLetters.letters().map((letter) => letter.record.sequenceNumber)).toEqual([early.kinesis.sequenceNumber]);
  });

  it('dead-letters an untrusted event of an account and applies the account around it', async () => {
    const h = account('a1', 3);
    const { readModel, deadLetters, project } = setup(h);
    const forged = { ...h[1]!, eventId: 'forged', data: { accountId: 'a1', amount: 1_000_000, channel: 'api' } };

    const response = await project(kinesisEvent(recordOf(h[0]!), recordOf(forged), recordOf(h[2]!)));

    expect(response.batchItemFailures).toEqual([]);
    expect(readModel.balances.get('a1')).toMatchObject({ balance: 20, version: 3 });
    expect(deadLetters.letters().map((letter) => letter.reason)).toEqual(['untrusted_event']);
  });
});
