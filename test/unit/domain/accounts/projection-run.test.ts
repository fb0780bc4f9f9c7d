import { applyRun, foldChanges, runOf } from '../../../../lambdas/domain/accounts';
import { history } from '../../../helpers/account-events';
import { InMemoryReadModel } from '../../../helpers/in-memory-read-model';

function changes(n: number, reference?: string) {
  const builder = history('a1').opened();
  for (let i = 1; i < n; i++) builder.deposit(10, reference ? { reference } : {});
  return foldChanges(undefined, builder.events);
}

describe('foldChanges', () => {
  it('chains each change onto the row the previous one produced', () => {
    const folded = changes(3);

    expect(folded.map((change) => [change.previousVersion, change.balance.version, change.balance.balance])).toEqual([
      [0, 1, 0],
      [1, 2, 10],
      [2, 3, 20],
    ]);
  });

  it('refuses events that are not the next versions', () => {
    const [opened, , third] = history('a1').opened().deposit(1).deposit(2).events;

    expect(() => foldChanges(undefined, [opened!, third!])).toThrow(/expected version 2/);
  });
});

describe('runOf', () => {
  it('guards the write by the first change and writes the last balance row with every transaction row', () => {
    const run = runOf(changes(4).slice(1));

    expect(run).toMatchObject({ previousVersion: 1, balance: { version: 4, balance: 30 } });
    expect(run!.transactions.map((row) => [row.version, row.balanceAfter])).toEqual([
      [2, 10],
      [3, 20],
      [4, 30],
    ]);
  });

  it('returns no write for no changes', () => {
    expect(runOf([])).toBeUndefined();
  });
});

describe('applyRun', () => {
  it('writes the transaction rows before the guarded balance row', async () => {
    const readModel = new InMemoryReadModel();
    const calls: string[] = [];
    const putTransactions = readModel.putTransactions.bind(readModel);
    const putBalance = readModel.putBalance.bind(readModel);
    readModel.putTransactions = (rows) => (calls.push('rows'), putTransactions(rows));
    readModel.putBalance = (run) => (calls.push('balance'), putBalance(run));

    await applyRun(readModel, runOf(changes(3))!);

    expect(calls).toEqual(['rows', 'balance']);
    expect(readModel.balances.get('a1')).toMatchObject({ version: 3 });
  });

  it("leaves the balance row where it was when the account's rows were not all written", async () => {
    const readModel = new InMemoryReadModel();
    readModel.putTransactions = async (rows) => new Map([[rows[0]!.accountId, new Error('ProvisionedThroughputExceededException (test)')]]);

    await expect(applyRun(readModel, runOf(changes(2))!)).rejects.toThrow(/ProvisionedThroughput/);
    expect(readModel.balances.has('a1')).toBe(false);
  });
});
