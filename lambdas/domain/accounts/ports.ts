import type { BalanceRow, TransactionRow } from './projection';
import type { ReadModelRun } from './projection-run';
import type { StoredEventExpectation } from '../../shared/event-store/port';

// The event store and snapshot ports are the core's (lambdas/shared/event-store/port.ts): the
// domain imports them from there; this file holds only the ports the accounts domain defines.

/** The current time; handed in so the domain stays deterministic under test. */
export type Clock = () => Date;

/** A new unique id (a ULID in production) for an event or account created at `timeMs`. */
export type IdGenerator = (timeMs: number) => string;

/**
 * The CQRS read model of accounts (balances and transactions), as the projector writes it.
 *
 * A run of an account's events is written in two steps: its transaction rows first (immutable
 * facts keyed by account and version, so writing one twice writes the same row), then the balance
 * row, guarded by the version it had. The balance row is the commit: a reader lists only the
 * transactions at or below its version, so rows written ahead of a balance that failed to move
 * stay invisible, and the retry writes them again, identical. A batch's runs share both steps:
 * every account's rows in one batch write, then every account's balance row in one guarded write.
 *
 * @example
 * const rows = await readModel.getBalances(['a1', 'a2']);
 * const unwritten = await readModel.putTransactions(runs.flatMap((run) => run.transactions));
 * const unmoved = await readModel.putBalances(runs.filter((run) => !unwritten.has(run.balance.accountId)));
 */
export interface AccountReadModel {
  getBalance(accountId: string): Promise<BalanceRow | undefined>;
  /** The balance rows of many accounts in one read (consistent); an account without a row is absent from the map. */
  getBalances(accountIds: readonly string[]): Promise<ReadonlyMap<string, BalanceRow>>;
  /**
   * Writes transaction rows of any accounts (no condition: each row is a fact). Never throws:
   * answers, per account, why some of its rows could not be written; an account absent from the
   * answer has all its rows written.
   */
  putTransactions(rows: readonly TransactionRow[]): Promise<ReadonlyMap<string, unknown>>;
  /**
   * Moves the balance row to `run.balance`, only if it is still at `run.previousVersion` (absent
   * when 0). The run's transaction rows must be written before.
   *
   * @throws {ReadModelConflictError} when the balance row moved meanwhile.
   */
  putBalance(run: ReadModelRun): Promise<void>;
  /**
   * Moves the balance rows of many accounts (one run each), each only if it is still at its run's
   * `previousVersion`; every run's transaction rows must be written before. Never throws: answers,
   * per account, why its row did not move (a {@link ReadModelConflictError}, a throttle); an
   * account absent from the answer moved.
   */
  putBalances(runs: readonly ReadModelRun[]): Promise<ReadonlyMap<string, unknown>>;
}

/** A run to write together with the delivered events it folds, as the store must hold them. */
export interface VerifiedRun {
  readonly run: ReadModelRun;
  /** One per event of the run, in version order: what the event store must hold at each key. */
  readonly delivered: readonly StoredEventExpectation[];
}

/**
 * Writes runs of several accounts in one atomic call that also checks the event store: every
 * run's transaction rows and guarded balance row, only if each balance row is still at its run's
 * `previousVersion` and the store holds every delivered event as delivered. So a projector that
 * knows a row's state (it wrote it last) applies a batch in one round trip, with no read.
 *
 * @example
 * await commit.commitVerified([{ run, delivered }]) // true: written; false: a condition refused it, nothing written
 */
export interface VerifiedRunCommit {
  /** The most actions one call takes: a run of n events costs 2n + 1 (a check and a row per event, the balance row). */
  readonly maxActions: number;
  /**
   * @returns true when every run was written; false when a condition refused the call (nothing written).
   * @throws any other failure (a throttle, a timeout: whether anything was written is unknown).
   */
  commitVerified(runs: readonly VerifiedRun[]): Promise<boolean>;
}
