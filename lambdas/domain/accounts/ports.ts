import type { BalanceRow } from './projection';
import type { ReadModelRun } from './projection-run';

// The event store and snapshot ports are the core's (lambdas/shared/event-store/port.ts): the
// domain imports them from there; this file holds only the ports the accounts domain defines.

/** The current time; handed in so the domain stays deterministic under test. */
export type Clock = () => Date;

/** A new unique id (a ULID in production) for an event or account created at `timeMs`. */
export type IdGenerator = (timeMs: number) => string;

/**
 * The CQRS read model of accounts (balances and transactions), as the projector needs it.
 *
 * @example
 * const row = await readModel.getBalance('a1');
 * for (const run of chunkRun(foldChanges(row, events))) await readModel.applyRun(run);
 */
export interface AccountReadModel {
  getBalance(accountId: string): Promise<BalanceRow | undefined>;
  /**
   * Writes the run's balance row and all its transaction rows in one transaction, only if the
   * balance row is still at `run.previousVersion` (absent when 0).
   *
   * @throws {ReadModelConflictError} when the balance row moved meanwhile.
   */
  applyRun(run: ReadModelRun): Promise<void>;
}
