import type { AccountEvent } from './account-event';
import { AccountHistoryError } from './errors';
import { ACCOUNT_EVENT_TYPES } from './events';

/** An account that has not been opened (yet): the state before its first event. */
export interface UnopenedAccount {
  readonly status: 'unopened';
  readonly version: 0;
}

/** An open account: the fold of its events. */
export interface OpenAccount {
  readonly status: 'open';
  readonly accountId: string;
  readonly owner: string;
  readonly currency: string;
  /** Minor units (cents); never negative. */
  readonly balance: number;
  /** Version (stream version) of the last event applied. */
  readonly version: number;
  readonly openedAt: string;
  readonly updatedAt: string;
}

/** The Account aggregate's state. */
export type AccountState = UnopenedAccount | OpenAccount;

/** The state every account history is folded from. */
export const initialAccountState: AccountState = Object.freeze({ status: 'unopened', version: 0 });

/**
 * Applies one event to an account's state (pure reducer).
 *
 * Events are facts: the reducer does not re-check business rules, only that the history is
 * well formed (contiguous versions, `opened` first, exactly once).
 *
 * @example
 * applyAccountEvent(initialAccountState, opened) // { status: 'open', balance: 0, version: 1, … }
 * @throws {AccountHistoryError} for a gap in versions or an event out of place.
 */
export function applyAccountEvent(state: AccountState, event: AccountEvent): AccountState {
  const accountId = event.data.accountId;
  if (event.version !== state.version + 1) {
    throw new AccountHistoryError(accountId, `event ${event.eventId} has version ${event.version}, expected ${state.version + 1}`);
  }
  if (event.type === ACCOUNT_EVENT_TYPES.opened) {
    if (state.status === 'open') throw new AccountHistoryError(accountId, `event ${event.eventId} opens an account that is already open`);
    return {
      status: 'open',
      accountId,
      owner: event.data.owner,
      currency: event.data.currency,
      balance: 0,
      version: event.version,
      openedAt: event.time,
      updatedAt: event.time,
    };
  }
  if (state.status !== 'open') {
    throw new AccountHistoryError(accountId, `event ${event.eventId} (${event.type}) comes before the account was opened`);
  }
  const delta = event.type === ACCOUNT_EVENT_TYPES.deposited ? event.data.amount : -event.data.amount;
  return { ...state, balance: state.balance + delta, version: event.version, updatedAt: event.time };
}

/**
 * Folds events (in version order) into an account's state.
 *
 * @example
 * foldAccount([opened, deposited]) // balance = deposited.data.amount, version 2
 * foldAccount(laterEvents, snapshotState) // continue from a snapshot
 */
export function foldAccount(events: readonly AccountEvent[], from: AccountState = initialAccountState): AccountState {
  return events.reduce(applyAccountEvent, from);
}
