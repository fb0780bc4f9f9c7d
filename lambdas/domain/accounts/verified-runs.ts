import type { AccountEvent } from './account-event';
import type { BalanceRowCache } from './balance-row-cache';
import type { VerifiedRun } from './ports';
import { foldChanges, type ReadModelRun, runOf } from './projection-run';
import type { StoredEventExpectation } from '../../shared/event-store/port';

/** One account's events of a batch with what each delivered copy says the store holds (same order). */
export interface DeliveredAccountEvents {
  readonly accountId: string;
  readonly events: readonly AccountEvent[];
  /** One per event: the envelope's own attributes, before upcasting. Without them the batch takes the reading path. */
  readonly delivered?: readonly StoredEventExpectation[];
}

/** Actions a verified run takes in one atomic write: a check per delivered event, a row per event, the balance row. */
export function actionsOf(run: VerifiedRun): number {
  return run.delivered.length + run.run.transactions.length + 1;
}

/**
 * The one write that applies a whole batch without reading anything, when the projector can: every
 * account's row is remembered (or the account starts at version 1), every account's events are the
 * next versions after it, each with its delivered copy, and all of it fits `maxActions`. Each run is
 * the fold of the delivered events onto the remembered row; the write checks both guesses (the
 * row's version, the store holding each event as delivered), so a wrong guess writes nothing.
 * Undefined when any account does not fit: the batch then reads its rows and the store.
 *
 * @example
 * planVerifiedRuns([{ accountId: 'a1', events: [v4, v5], delivered }], rowsAtV3, 100) // [{ run: { previousVersion: 3, … }, delivered }]
 */
export function planVerifiedRuns(groups: readonly DeliveredAccountEvents[], rows: BalanceRowCache, maxActions: number): VerifiedRun[] | undefined {
  const runs: VerifiedRun[] = [];
  let actions = 0;
  for (const { accountId, events, delivered } of groups) {
    if (!delivered || delivered.length !== events.length) return undefined;
    if (events.length === 0 || events.some((event, i) => delivered[i]!.version !== event.version)) return undefined;
    let run: ReadModelRun | undefined;
    try {
      // The fold takes only the row's next versions, in order: a gap, a redelivery or a deposit onto no row throws.
      run = runOf(foldChanges(rows.get(accountId), events));
    } catch {
      return undefined; // the reading path decides it from the tables, and says why
    }
    const verified = { run: run!, delivered };
    actions += actionsOf(verified);
    if (actions > maxActions) return undefined;
    runs.push(verified);
  }
  return runs.length > 0 ? runs : undefined;
}
