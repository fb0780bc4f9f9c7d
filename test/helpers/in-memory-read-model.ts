import type { AccountReadModel, BalanceRow, ReadModelChange, ReadModelRun, TransactionRow } from '../../lambdas/domain/accounts';
import { ReadModelConflictError } from '../../lambdas/domain/accounts';
import type { TransactionPage } from '../../lambdas/adapters/accounts/dynamodb-account-read-model';
import { queryPage } from './dynamodb-query-page';

/**
 * In-memory accounts read model that behaves as the DynamoDB adapter on its two tables: the
 * balance row's version condition, transaction rows keyed by (accountId, version), and
 * {@link listTransactions} paged as a DynamoDB Query pages (see {@link queryPage}).
 */
export class InMemoryReadModel implements AccountReadModel {
  public readonly balances = new Map<string, BalanceRow>();
  /** The transactions table, keyed `accountId` + `version`. */
  private readonly transactionRows = new Map<string, TransactionRow>();

  /** Every transaction row, by account then version, for assertions. */
  public get transactions(): TransactionRow[] {
    return [...this.transactionRows.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.version - b.version);
  }

  public async getBalance(accountId: string): Promise<BalanceRow | undefined> {
    return this.balances.get(accountId);
  }

  public apply(change: ReadModelChange): Promise<void> {
    return this.applyRun({ previousVersion: change.previousVersion, balance: change.balance, transactions: [change.transaction] });
  }

  /** Every write, in order, for assertions on how the projector batches. */
  public readonly runs: ReadModelRun[] = [];

  public async applyRun(run: ReadModelRun): Promise<void> {
    const current = this.balances.get(run.balance.accountId);
    if ((current?.version ?? 0) !== run.previousVersion) {
      throw new ReadModelConflictError(run.balance.accountId, run.previousVersion);
    }
    this.runs.push(run);
    this.balances.set(run.balance.accountId, run.balance);
    for (const transaction of run.transactions) this.transactionRows.set(`${transaction.accountId}\0${transaction.version}`, transaction);
  }

  /** One page of an account's transactions, as the adapter's Query returns it (`lastKey` = LastEvaluatedKey). */
  public async listTransactions(accountId: string, options: { readonly limit: number; readonly startAfter?: Record<string, unknown> }): Promise<TransactionPage> {
    const rows = [...this.transactionRows.values()].filter((row) => row.accountId === accountId);
    const startAfter = options.startAfter === undefined ? undefined : Number(options.startAfter.version);
    const page = queryPage(rows, { limit: options.limit, startAfter, sortKey: (row) => row.version });
    const last = page.lastEvaluated;
    return { items: page.items, ...(last ? { lastKey: { accountId: last.accountId, version: last.version } } : {}) };
  }
}
