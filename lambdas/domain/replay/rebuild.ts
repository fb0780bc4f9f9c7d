import type { StoredEvent } from '../../shared/event-store/port';
import { accountEventFromStored, type AccountStateChangedV1, type BalanceRow, foldAccount, projectAccountEvent, type TransactionRow } from '../accounts';
import { AccountHistoryError } from '../accounts';

/** Stream ids of accounts in the event store start with this prefix. */
export const ACCOUNT_STREAM_PREFIX = 'account#';

/** An account's read-model rows and replica state, rebuilt from its whole history. */
export interface RebuiltAccount {
  readonly streamId: string;
  readonly accountId: string;
  readonly events: number;
  readonly balance: BalanceRow;
  readonly transactions: readonly TransactionRow[];
  /** The state the replica holds for this account (without `replicatedAt`). */
  readonly replica: AccountStateChangedV1;
}

/**
 * Groups stored events by stream, each stream in version order.
 *
 * @example
 * groupByStream(scannedItems).get('account#a1') // [v1, v2, v3]
 */
export function groupByStream(events: Iterable<StoredEvent>): Map<string, StoredEvent[]> {
  const streams = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const list = streams.get(event.streamId);
    if (list) list.push(event);
    else streams.set(event.streamId, [event]);
  }
  for (const list of streams.values()) list.sort((a, b) => a.version - b.version);
  return streams;
}

/**
 * Rebuilds one account from its complete history, with the same code the projector and the
 * command function use: each stored event is parsed (and upcast) by the domain, the read-model
 * rows come from {@link projectAccountEvent} event by event, the replica state from the fold.
 *
 * @example
 * rebuildAccount(events).balance // { accountId: 'a1', balance: 1250, version: 2, … }
 * @throws {AccountHistoryError} when the history has a gap, does not start with `opened`, or is empty.
 */
export function rebuildAccount(history: readonly StoredEvent[]): RebuiltAccount {
  const streamId = history[0]?.streamId ?? '(empty)';
  const events = history.map(accountEventFromStored);
  let balance: BalanceRow | undefined;
  const transactions: TransactionRow[] = [];
  for (const event of events) {
    const change = projectAccountEvent(balance, event);
    balance = change.balance;
    transactions.push(change.transaction);
  }
  const state = foldAccount(events);
  if (!balance || state.status !== 'open') throw new AccountHistoryError(streamId.slice(ACCOUNT_STREAM_PREFIX.length), `stream ${streamId} has no opened account`);
  const { status: _status, ...replica } = state;
  return { streamId, accountId: state.accountId, events: events.length, balance, transactions, replica };
}

/** One field (or a whole row) that differs between two copies of a table. */
export interface RowDifference {
  readonly table: string;
  readonly key: string;
  /** The differing attribute; absent when the whole row is missing on one side. */
  readonly field?: string;
  readonly live?: unknown;
  readonly rebuilt?: unknown;
  readonly issue: 'field differs' | 'missing in live' | 'missing in rebuilt';
}

/**
 * Compares two copies of a table row by row and field by field (every attribute either side has,
 * except `ignore`).
 *
 * @example
 * diffRows('balances', live, rebuilt) // [{ key: 'a1', field: 'balance', live: 100, rebuilt: 150, issue: 'field differs' }]
 */
export function diffRows(
  table: string,
  live: ReadonlyMap<string, Record<string, unknown>>,
  rebuilt: ReadonlyMap<string, Record<string, unknown>>,
  ignore: readonly string[] = [],
): RowDifference[] {
  const differences: RowDifference[] = [];
  const keys = [...new Set([...live.keys(), ...rebuilt.keys()])].sort();
  for (const key of keys) {
    const a = live.get(key);
    const b = rebuilt.get(key);
    if (!a) {
      differences.push({ table, key, issue: 'missing in live' });
      continue;
    }
    if (!b) {
      differences.push({ table, key, issue: 'missing in rebuilt' });
      continue;
    }
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => !ignore.includes(field)).sort();
    for (const field of fields) {
      if (!sameValue(a[field], b[field])) differences.push({ table, key, field, live: a[field], rebuilt: b[field], issue: 'field differs' });
    }
  }
  return differences;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
