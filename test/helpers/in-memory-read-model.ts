import type { AccountReadModel, BalanceRow, ReadModelChange, ReadModelRun, TransactionRow } from '../../lambdas/domain/accounts';
import { applyRun, putBalancesEach, ReadModelConflictError } from '../../lambdas/domain/accounts';
import { type TransactionPage, type TransactionPageOptions, visiblePage } from '../../lambdas/adapters/accounts/dynamodb-account-read-model';
import { queryPage } from './dynamodb-query-page';

/**
 * In-memory accounts read model that behaves as the DynamoDB adapter on its two tables: the
 * balance row's version condition, transaction rows keyed by (accountId, version) and written
 * without a condition, and {@link listTransactions} paged as a DynamoDB Query pages (see
 * {@link queryPage}), up to the version asked for.
 */
export class InMemoryReadModel implements AccountReadModel {
  public readonly balances = new Map<string, BalanceRow>();
  /** The transactions table, keyed `accountId` + `version`. */
  private readonly transactionRows = new Map<string, TransactionRow>();

  /** Every transaction row, by account then version, for assertions (those a balance row does not include yet too). */
  public get transactions(): TransactionRow[] {
    return [...this.transactionRows.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.version - b.version);
  }

  public async getBalance(accountId: string): Promise<BalanceRow | undefined> {
    return this.balances.get(accountId);
  }

  /** Every batch read of balance rows: the accounts each asked for, for assertions on how the projector batches. */
  public readonly balanceReads: string[][] = [];

  public async getBalances(accountIds: readonly string[]): Promise<ReadonlyMap<string, BalanceRow>> {
    this.balanceReads.push([...accountIds]);
    return new Map(accountIds.flatMap((id) => (this.balances.has(id) ? [[id, this.balances.get(id)!] as const] : [])));
  }

  /** Every write of transaction rows, in order: the rows of each call. */
  public readonly transactionWrites: TransactionRow[][] = [];

  public async putTransactions(rows: readonly TransactionRow[]): Promise<ReadonlyMap<string, unknown>> {
    this.transactionWrites.push([...rows]);
    for (const row of rows) this.transactionRows.set(`${row.accountId}\0${row.version}`, row);
    return new Map();
  }

  /** Every balance write that went through, in order (with the rows of its run), for assertions on how the projector batches. */
  public readonly runs: ReadModelRun[] = [];

  public async putBalance(run: ReadModelRun): Promise<void> {
    const current = this.balances.get(run.balance.accountId);
    if ((current?.version ?? 0) !== run.previousVersion) {
      throw new ReadModelConflictError(run.balance.accountId, run.previousVersion);
    }
    this.runs.push(run);
    this.balances.set(run.balance.accountId, run.balance);
  }

  /** Every multi-account balance write, in order: the runs of each call, for assertions on how the projector batches. */
  public readonly balanceWrites: ReadModelRun[][] = [];

  /** Each run's guarded write, as the adapter's transaction falls back to when it is refused. */
  public async putBalances(runs: readonly ReadModelRun[]): Promise<ReadonlyMap<string, unknown>> {
    this.balanceWrites.push([...runs]);
    return putBalancesEach(this, runs, 1);
  }

  /** One event's change, written as the projector writes a run of one. */
  public apply(change: ReadModelChange): Promise<void> {
    return applyRun(this, { previousVersion: change.previousVersion, balance: change.balance, transactions: [change.transaction] });
  }

  /** One page of an account's transactions, as the adapter's Query returns it (`lastKey` = LastEvaluatedKey). */
  public async listTransactions(accountId: string, options: TransactionPageOptions): Promise<TransactionPage> {
    const rows = [...this.transactionRows.values()].filter((row) => row.accountId === accountId);
    const startAfter = options.startAfter === undefined ? undefined : Number(options.startAfter.version);
    const page = queryPage(rows, { limit: options.limit, startAfter, sortKey: (row) => row.version });
    const last = page.lastEvaluated;
    return visiblePage(page.items, last ? { accountId: last.accountId, version: last.version } : undefined, options.upToVersion);
  }
}
