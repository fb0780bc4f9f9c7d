import type { AccountEvent } from './account-event';
import { type BalanceRow, projectAccountEvent, type ReadModelChange, type TransactionRow } from './projection';

/**
 * One conditional write of the read model: the balance row at the end of a run of consecutive
 * events of one account, guarded by the version the row had before the run, plus a transaction
 * row per event. It applies all of them or none.
 */
export interface ReadModelRun {
  /** Version of the balance row the run applies to; 0 = the row must not exist. */
  readonly previousVersion: number;
  /** The balance row after the run's last event. */
  readonly balance: BalanceRow;
  /** One row per event of the run, in version order. */
  readonly transactions: readonly TransactionRow[];
}

/** What one transactional write may hold. */
export interface WriteLimits {
  /** Items per write, the balance row included. */
  readonly maxItems: number;
  /** Estimated bytes per write (see {@link estimatedItemBytes}). */
  readonly maxBytes: number;
}

/**
 * DynamoDB TransactWriteItems: "up to 100 action requests" and an aggregate size "not to exceed 4 MB".
 * The byte limit keeps a margin for the estimate (attribute overhead, number encoding).
 */
export const TRANSACT_WRITE_LIMITS: WriteLimits = { maxItems: 100, maxBytes: 3_500_000 };

/**
 * A generous estimate of an item's stored size: its JSON's UTF-8 bytes plus 8 bytes per attribute
 * (DynamoDB counts names and values; a number takes up to 21 bytes, JSON may write it shorter).
 */
export function estimatedItemBytes(item: object): number {
  return Buffer.byteLength(JSON.stringify(item), 'utf8') + 8 * Object.keys(item).length;
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
 * Splits an account's consecutive changes into as few writes as the limits allow, in order. Each
 * write is guarded by the version the previous one wrote, so a write that fails leaves the row at
 * the end of the last write that succeeded, and a retry goes on from there.
 *
 * @example
 * chunkRun(changesV1toV150, TRANSACT_WRITE_LIMITS).map((run) => [run.previousVersion, run.balance.version]) // [[0, 99], [99, 150]]
 * @throws {RangeError} when the limits cannot hold even one event with its balance row.
 */
export function chunkRun(changes: readonly ReadModelChange[], limits: WriteLimits = TRANSACT_WRITE_LIMITS): ReadModelRun[] {
  const runs: ReadModelRun[] = [];
  let pending: ReadModelChange[] = [];
  let pendingBytes = 0;
  const close = () => {
    const first = pending[0];
    const last = pending.at(-1);
    if (!first || !last) return;
    runs.push({ previousVersion: first.previousVersion, balance: last.balance, transactions: pending.map((change) => change.transaction) });
    pending = [];
    pendingBytes = 0;
  };
  for (const change of changes) {
    // The balance row is written once per run; count its largest size (the last change's) with every event.
    const bytes = estimatedItemBytes(change.transaction);
    const balanceBytes = estimatedItemBytes(change.balance);
    if (1 + 1 > limits.maxItems || bytes + balanceBytes > limits.maxBytes) {
      throw new RangeError(
        `write limits ${JSON.stringify(limits)} cannot hold version ${change.balance.version} of account ${change.balance.accountId} ` +
          `(${bytes + balanceBytes} bytes with its balance row); allow at least 2 items and that many bytes`,
      );
    }
    if (pending.length > 0 && (pending.length + 2 > limits.maxItems || pendingBytes + bytes + balanceBytes > limits.maxBytes)) close();
    pending.push(change);
    pendingBytes += bytes;
  }
  close();
  return runs;
}
