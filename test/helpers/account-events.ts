import type { AccountEvent } from '../../lambdas/domain/accounts/account-event';
import { ACCOUNT_EVENT_SOURCE, ACCOUNT_EVENT_TYPES } from '../../lambdas/domain/accounts/events';
import type { Clock, IdGenerator } from '../../lambdas/domain/accounts/ports';
import type { StoredEvent } from '../../lambdas/shared/event-store/port';

export const ACCOUNT_ID = 'acc-1';
export const T0 = Date.parse('2025-01-01T10:00:00.000Z');

/** ISO time `minutes` after {@link T0}. */
export function at(minutes: number): string {
  return new Date(T0 + minutes * 60_000).toISOString();
}

/**
 * Builds one account's history with contiguous versions, like the event store would hold it.
 *
 * @example
 * const events = history().opened().deposit(500).withdraw(200).events; // versions 1..3
 */
export function history(accountId = ACCOUNT_ID) {
  const events: AccountEvent[] = [];
  const base = () => {
    const version = events.length + 1;
    return { eventId: `evt-${accountId}-${version}`, version, time: at(version) };
  };
  const builder = {
    events,
    opened(owner = 'Ada Lovelace', currency = 'EUR') {
      events.push({ ...base(), type: ACCOUNT_EVENT_TYPES.opened, data: { accountId, owner, currency } });
      return builder;
    },
    deposit(amount: number, extra: { reference?: string; channel?: 'api' | 'transfer' | 'unknown' } = {}) {
      events.push({ ...base(), type: ACCOUNT_EVENT_TYPES.deposited, data: { accountId, amount, channel: 'api', ...extra } });
      return builder;
    },
    withdraw(amount: number) {
      events.push({ ...base(), type: ACCOUNT_EVENT_TYPES.withdrawn, data: { accountId, amount } });
      return builder;
    },
    /** The same history as the event store's items. */
    stored(): StoredEvent[] {
      return events.map((event) => toStored(event));
    },
  };
  return builder;
}

/** An account event as the event store holds it. */
export function toStored(event: AccountEvent): StoredEvent {
  const accountId = event.data.accountId;
  return {
    streamId: `account#${accountId}`,
    version: event.version,
    eventId: event.eventId,
    type: event.type,
    time: event.time,
    data: event.data,
    metadata: { source: ACCOUNT_EVENT_SOURCE, subject: accountId, partitionkey: accountId },
  };
}

/** A clock that starts at {@link T0} and moves one second per call. */
export function steppingClock(): Clock {
  let ticks = 0;
  return () => new Date(T0 + 1000 * ticks++);
}

/** Ids `id-0001`, `id-0002`, … — predictable, unlike ULIDs. */
export function sequentialIds(): IdGenerator {
  let next = 0;
  return () => `id-${String(++next).padStart(4, '0')}`;
}

/** `n` stored events of one account: opened, then deposits of 10 (versions 1..n). */
export function depositsOf(accountId: string, n: number): StoredEvent[] {
  const builder = history(accountId).opened();
  for (let i = 1; i < n; i++) builder.deposit(10);
  return builder.stored();
}
