import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountReadModel, BalanceRow, ReadModelChange, TransactionRow } from '../../../lambdas/domain/accounts';
import { ReadModelConflictError } from '../../../lambdas/domain/accounts';
import { projectAccountEvent } from '../../../lambdas/domain/accounts/projection';
import { applyRun, foldChanges, runOf } from '../../../lambdas/domain/accounts/projection-run';
import { DynamoDbAccountReadModel, type TransactionPage, type TransactionPageOptions } from '../../../lambdas/adapters/accounts/dynamodb-account-read-model';
import { history } from '../../helpers/account-events';
import { queryPage } from '../../helpers/dynamodb-query-page';
import { InMemoryReadModel } from '../../helpers/in-memory-read-model';
import { uniqueId } from '../support/accounts';
import { rawItem } from '../support/stack-tables';
import { recordingDynamo } from '../support/recording-dynamo';
import { clients, output } from '../support/target';

/** The read model adapter on the stack's balances and transactions tables in DynamoDB Local. */
const tables = () => ({ balances: output('BalancesTableName'), transactions: output('TransactionsTableName') });
const readModel = () => new DynamoDbAccountReadModel(clients.dynamo, tables());

/** A read model whose calls are listed by command name, in the order they were sent. */
function recordingReadModel(): { model: DynamoDbAccountReadModel; sent: string[] } {
  const { client, sent } = recordingDynamo();
  return { model: new DynamoDbAccountReadModel(client, tables()), sent };
}

type Paged = AccountReadModel & { listTransactions(accountId: string, options: TransactionPageOptions): Promise<TransactionPage> };

/** Projects a history of `deposits` deposits after the opening into `model`, one event per write; returns the changes. */
async function project(model: AccountReadModel, accountId: string, deposits: number): Promise<ReadModelChange[]> {
  const account = history(accountId).opened('Ada', 'EUR');
  for (let n = 1; n <= deposits; n += 1) account.deposit(n * 10);
  const changes: ReadModelChange[] = [];
  let row: BalanceRow | undefined;
  for (const event of account.events) {
    const change = projectAccountEvent(row, event);
    await applyRun(model, runOf([change])!);
    changes.push(change);
    row = change.balance;
  }
  return changes;
}

/** Every page from the first until there is no `lastKey`; fails after 20 pages rather than loop for ever. */
async function allPages(model: Paged, accountId: string, limit: number, upToVersion = 1000): Promise<TransactionPage[]> {
  const pages: TransactionPage[] = [];
  let startAfter: Record<string, unknown> | undefined;
  do {
    if (pages.length === 20) throw new Error(`still paging after 20 pages of ${limit}: ${JSON.stringify(pages.map((page) => page.lastKey))}`);
    pages.push(await model.listTransactions(accountId, { limit, upToVersion, ...(startAfter ? { startAfter } : {}) }));
    startAfter = pages.at(-1)!.lastKey;
  } while (startAfter);
  return pages;
}

describe('the DynamoDB read model on DynamoDB Local', () => {
  it('writes the balance row and the transaction rows, and reads them back', async () => {
    const accountId = uniqueId('rm');

    const changes = await project(readModel(), accountId, 2);

    expect(await readModel().getBalance(accountId)).toEqual(changes[2].balance);
    expect((await readModel().listTransactions(accountId, { limit: 10, upToVersion: 3 })).items).toEqual(changes.map((change) => change.transaction));
  });

  it('refuses a balance row at another version', async () => {
    const accountId = uniqueId('rm');
    const [opened, deposited] = await project(readModel(), accountId, 1);
    const stale = projectAccountEvent(opened.balance, { ...history(accountId).opened().deposit(999).events[1]! });

    await expect(readModel().putBalance(runOf([stale])!)).rejects.toBeInstanceOf(ReadModelConflictError);
    await expect(readModel().putBalance(runOf([opened])!)).rejects.toBeInstanceOf(ReadModelConflictError);

    expect(await readModel().getBalance(accountId)).toEqual(deposited.balance);
  });

  it('lists no transaction row above the version asked for: rows written ahead of their balance row stay unseen', async () => {
    const accountId = uniqueId('rm');
    const account = history(accountId).opened('Ada', 'EUR').deposit(10);
    const [opened, deposited] = foldChanges(undefined, account.events);
    await applyRun(readModel(), runOf([opened!])!);

    // The projector wrote the batch's rows, then its balance put failed: row 2 is in the table, the balance row at 1.
    expect(await readModel().putTransactions([deposited!.transaction])).toEqual(new Map());

    expect(await rawItem(tables().transactions, { accountId, version: 2 })).toEqual({ ...deposited!.transaction, projectedAt: expect.any(String) });
    const { version } = (await readModel().getBalance(accountId))!;
    expect((await readModel().listTransactions(accountId, { limit: 10, upToVersion: version })).items).toEqual([opened!.transaction]);
  });

  it('reads many balance rows in one call, leaving out accounts without one', async () => {
    const [a, b] = [uniqueId('rm'), uniqueId('rm')];
    const [changesOfA, changesOfB] = [await project(readModel(), a, 1), await project(readModel(), b, 2)];

    const rows = await readModel().getBalances([a, uniqueId('absent'), b, a]);

    expect(new Map(rows)).toEqual(
      new Map([
        [a, changesOfA[1]!.balance],
        [b, changesOfB[2]!.balance],
      ]),
    );
  });

  it('writes a run of 150 events with 25 rows per batch write and one guarded balance row, and refuses a stale run', async () => {
    const accountId = uniqueId('rm');
    const account = history(accountId).opened('Ada', 'EUR');
    for (let n = 1; n < 150; n += 1) account.deposit(n);
    const run = runOf(foldChanges(undefined, account.events))!;

    await applyRun(readModel(), run);
    await expect(readModel().putBalance(run)).rejects.toBeInstanceOf(ReadModelConflictError);

    expect(await readModel().getBalance(accountId)).toEqual(run.balance);
    const rows = (await allPages(readModel(), accountId, 100)).flatMap((page) => page.items);
    expect(rows).toEqual(run.transactions);
  });

  it("moves several accounts' balance rows in one transaction", async () => {
    const ids = [uniqueId('rm'), uniqueId('rm'), uniqueId('rm')];
    const runs = ids.map((id) => runOf(foldChanges(undefined, history(id).opened('Ada', 'EUR').deposit(5).events))!);
    const { model, sent } = recordingReadModel();

    expect(await model.putBalances(runs)).toEqual(new Map());

    expect(sent).toEqual(['TransactWriteCommand']);
    for (const run of runs) expect(await readModel().getBalance(run.balance.accountId)).toEqual(run.balance);
  });

  it('reports only the account whose row moved meanwhile when a transaction of several is refused, and moves the others', async () => {
    const [a, moved, c] = [uniqueId('rm'), uniqueId('rm'), uniqueId('rm')];
    const movedChanges = await project(readModel(), moved, 1); // its row is at version 2: a run from nothing is stale
    const runs = [a, moved, c].map((id) => runOf(foldChanges(undefined, history(id).opened('Ada', 'EUR').deposit(5).events))!);
    const { model, sent } = recordingReadModel();

    const unmoved = await model.putBalances(runs);

    expect([...unmoved.keys()]).toEqual([moved]);
    expect(unmoved.get(moved)).toBeInstanceOf(ReadModelConflictError);
    expect(await readModel().getBalance(moved)).toEqual(movedChanges[1]!.balance);
    expect(await readModel().getBalance(a)).toEqual(runs[0]!.balance);
    expect(await readModel().getBalance(c)).toEqual(runs[2]!.balance);
    // The refused transaction wrote nothing; each row was then put on its own condition.
    expect(sent).toEqual(['TransactWriteCommand', 'PutCommand', 'PutCommand', 'PutCommand']);
  });

  it('pages exactly as the in-memory read model does, an empty last page included', async () => {
    const accountId = uniqueId('rm');
    const fake = new InMemoryReadModel();
    await project(readModel(), accountId, 6); // 7 transactions
    await project(fake, accountId, 6);

    for (const [limit, upToVersion] of [
      [1, 7],
      [2, 7],
      [3, 7],
      [6, 7],
      [7, 7],
      [8, 7],
      [100, 7],
      [2, 5],
      [5, 5],
    ] as const) {
      const [real, faked] = [await allPages(readModel(), accountId, limit, upToVersion), await allPages(fake, accountId, limit, upToVersion)];
      expect({ limit, upToVersion, pages: faked }).toEqual({ limit, upToVersion, pages: real });
    }
    // DynamoDB hands back a LastEvaluatedKey when Limit items were read, even with none left.
    expect((await allPages(readModel(), accountId, 7)).map((page) => page.items.length)).toEqual([7, 0]);
  });

  it("counts Limit in items evaluated, not returned, as the fakes' query pages do", async () => {
    const accountId = uniqueId('rm');
    const rows = (await project(readModel(), accountId, 4)).map((change) => change.transaction);
    const large = (row: TransactionRow) => row.amount >= 30;

    const { Items = [], LastEvaluatedKey } = await clients.dynamo.send(
      new QueryCommand({
        TableName: tables().transactions,
        KeyConditionExpression: 'accountId = :a',
        FilterExpression: 'amount >= :large',
        ExpressionAttributeValues: { ':a': accountId, ':large': 30 },
        Limit: 3,
        ExclusiveStartKey: { accountId, version: 1 },
      }),
    );
    const expected = queryPage(rows, { limit: 3, startAfter: 1, sortKey: (row) => row.version, filter: large });

    // Versions 2..4 are read (amounts 10, 20, 30); only version 4 passes the filter.
    expect(Items.map((item) => item.version)).toEqual([4]);
    expect(Items.map((item) => item.version)).toEqual(expected.items.map((row) => row.version));
    expect(LastEvaluatedKey).toEqual({ accountId, version: expected.lastEvaluated?.version });
  });
});
