import type { AccountReadModel, BalanceRow, ReadModelChange, TransactionRow } from '../../lambdas/domain/accounts';
import { ReadModelConflictError } from '../../lambdas/domain/accounts';

/** In-memory accounts read model with the DynamoDB adapter's condition on the balance row version. */
export class InMemoryReadModel implements AccountReadModel {
  public readonly balances = new Map<string, BalanceRow>();
  public readonly transactions: TransactionRow[] = [];

  public async getBalance(accountId: string): Promise<BalanceRow | undefined> {
    return this.balances.get(accountId);
  }

  public async apply(change: ReadModelChange): Promise<void> {
    const current = this.balances.get(change.balance.accountId);
    if ((current?.version ?? 0) !== change.previousVersion) {
      throw new ReadModelConflictError(change.balance.accountId, change.previousVersion);
    }
    this.balances.set(change.balance.accountId, change.balance);
    this.transactions.push(change.transaction);
  }
}
