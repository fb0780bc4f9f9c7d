import type { AccountEvent } from './account-event';
import type { OpenAccount } from './account';
import { ProjectionOrderError } from './errors';
import { ACCOUNT_EVENT_TYPES } from './events';

/** A row of the balances table (the CQRS read model of an account): the open account's state, flat. */
export type BalanceRow = Omit<OpenAccount, 'status'>;

export type TransactionKind = 'opened' | 'deposit' | 'withdrawal';

/** A row of the transactions table: one per account event. */
export interface TransactionRow {
  readonly accountId: string;
  readonly version: number;
  readonly eventId: string;
  readonly kind: TransactionKind;
  /** Minor units; 0 for `opened`. */
  readonly amount: number;
  readonly balanceAfter: number;
  readonly time: string;
}

/** What one event changes in the read model, written atomically. */
export interface ReadModelChange {
  /** Version of the balance row the change applies to; 0 = the row must not exist. */
  readonly previousVersion: number;
  readonly balance: BalanceRow;
  readonly transaction: TransactionRow;
}

/**
 * What the projector does with an event, given the version the read model is at:
 * - `skip`: already projected (a redelivery);
 * - `apply`: the next event;
 * - `catch-up`: events `from..to` are missing; read them from the event store and apply them first.
 */
export type ProjectionStep =
  { readonly action: 'skip' } | { readonly action: 'apply' } | { readonly action: 'catch-up'; readonly fromVersion: number; readonly toVersion: number };

/**
 * Plans how to project an event of `eventVersion` onto a read model at `currentVersion`.
 *
 * @example
 * planProjection(3, 3) // { action: 'skip' }
 * planProjection(3, 6) // { action: 'catch-up', fromVersion: 4, toVersion: 5 }
 */
export function planProjection(currentVersion: number, eventVersion: number): ProjectionStep {
  if (eventVersion <= currentVersion) return { action: 'skip' };
  if (eventVersion === currentVersion + 1) return { action: 'apply' };
  return { action: 'catch-up', fromVersion: currentVersion + 1, toVersion: eventVersion - 1 };
}

/**
 * The read-model change one event makes to the account's balance row (`undefined` before `opened`).
 *
 * @example
 * // row: balance 100 at version 2; deposited: amount 50, version 3
 * projectAccountEvent(row, deposited)
 * // { previousVersion: 2, balance: { …row, balance: 150, version: 3 }, transaction: { kind: 'deposit', amount: 50, balanceAfter: 150, … } }
 * @throws {ProjectionOrderError} unless the event is the row's next version (use {@link planProjection} first).
 */
export function projectAccountEvent(current: BalanceRow | undefined, event: AccountEvent): ReadModelChange {
  const accountId = event.data.accountId;
  const currentVersion = current?.version ?? 0;
  if (event.version !== currentVersion + 1) {
    throw new ProjectionOrderError(accountId, currentVersion, event.version, `expected version ${currentVersion + 1}`);
  }
  const base = { accountId, version: event.version, eventId: event.eventId, time: event.time };
  if (event.type === ACCOUNT_EVENT_TYPES.opened) {
    const { owner, currency } = event.data;
    return {
      previousVersion: 0,
      balance: { accountId, owner, currency, balance: 0, version: event.version, openedAt: event.time, updatedAt: event.time },
      transaction: { ...base, kind: 'opened', amount: 0, balanceAfter: 0 },
    };
  }
  if (!current) throw new ProjectionOrderError(accountId, currentVersion, event.version, 'the account was never opened');
  const deposit = event.type === ACCOUNT_EVENT_TYPES.deposited;
  const balance = current.balance + (deposit ? event.data.amount : -event.data.amount);
  return {
    previousVersion: current.version,
    balance: { ...current, balance, version: event.version, updatedAt: event.time },
    transaction: { ...base, kind: deposit ? 'deposit' : 'withdrawal', amount: event.data.amount, balanceAfter: balance },
  };
}
