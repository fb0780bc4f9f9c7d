import type { AccountEvent } from './account-event';
import { mapWithConcurrency } from '../../shared/batch/bounded-concurrency';
import type { AccountReadModel } from './ports';
import { type BalanceRow, projectAccountEvent, type ReadModelChange, type TransactionRow } from './projection';

/**
 * What a run of consecutive events of one account writes to the read model: a transaction row per
 * event, then the balance row at the end of the run, guarded by the version the row had before it.
 */
export interface ReadModelRun {
  /** Version of the balance row the run applies to; 0 = the row must not exist. */
  readonly previousVersion: number;
  /** The balance row after the run's last event. */
  readonly balance: BalanceRow;
  /** One row per event of the run, in version order. */
  readonly transactions: readonly TransactionRow[];
}

/**
 * Folds consecutive events of one account onto its balance row (`undefined` before `opened`):
 * one change per event, each onto the row the previous one produced.
 *
 * @example
 * foldChanges(rowAtV2, [v3, v4]).map((change) => change.balance.version) // [3, 4]
 * @throws {ProjectionOrderError} when the events are not the row's next versions in order.
 */
export function foldChanges(row: BalanceRow | undefined, events: readonly AccountEvent[]): ReadModelChange[] {
  const changes: ReadModelChange[] = [];
  let current = row;
  for (const event of events) {
    const change = projectAccountEvent(current, event);
    changes.push(change);
    current = change.balance;
  }
  return changes;
}

/**
 * The one write of an account's consecutive changes: guarded by the first one's previous version,
 * its balance row the last one's, with every change's transaction row. Undefined for no changes.
 *
 * @example
 * runOf(foldChanges(rowAtV2, [v3, v4])) // { previousVersion: 2, balance: { …, version: 4 }, transactions: [row3, row4] }
 */
export function runOf(changes: readonly ReadModelChange[]): ReadModelRun | undefined {
  const first = changes[0];
  const last = changes.at(-1);
  if (!first || !last) return undefined;
  return { previousVersion: first.previousVersion, balance: last.balance, transactions: changes.map((change) => change.transaction) };
}

/**
 * Writes one run the way the projector does: its transaction rows, then the guarded balance row.
 *
 * @example
 * await applyRun(readModel, runOf(foldChanges(undefined, history))!)
 * @throws the rows' write error (the balance row then stays where it was), or
 *   {ReadModelConflictError} when the balance row is no longer at `run.previousVersion`.
 */
export async function applyRun(readModel: AccountReadModel, run: ReadModelRun): Promise<void> {
  const unwritten = await readModel.putTransactions(run.transactions);
  if (unwritten.has(run.balance.accountId)) throw unwritten.get(run.balance.accountId);
  await readModel.putBalance(run);
}

/**
 * Moves balance rows one guarded write per run, `concurrency` at once: {@link AccountReadModel.putBalances}
 * for a read model without a multi-row write, and the DynamoDB adapter's way after a multi-row
 * write was refused (each row then stands or falls on its own condition).
 *
 * @example
 * await putBalancesEach(readModel, [runA, runB], 16) // Map { 'b' => ReadModelConflictError } when b's row had moved
 */
export async function putBalancesEach(
  readModel: Pick<AccountReadModel, 'putBalance'>,
  runs: readonly ReadModelRun[],
  concurrency: number,
): Promise<ReadonlyMap<string, unknown>> {
  const failures = new Map<string, unknown>();
  await mapWithConcurrency(runs, concurrency, async (run) => {
    try {
      await readModel.putBalance(run);
    } catch (failure) {
      failures.set(run.balance.accountId, failure);
    }
  });
  return failures;
}
