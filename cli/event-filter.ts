/**
 * The event feed's filters (`sluice tail --type/--subject/--account/--trace`, the console's feed
 * and `GET events`): one pure predicate, so every place that shows events filters them the same way.
 */
import type { FeedFilter } from '../local/console/contract';
import { traceIdOf } from '../lambdas/shared/trace-context';

/** The envelope fields a filter looks at (an envelope read off the stream is untrusted). */
export interface FilterableEnvelope {
  readonly type?: unknown;
  readonly subject?: unknown;
  readonly partitionkey?: unknown;
  readonly traceparent?: unknown;
  readonly data?: unknown;
}

/** A filter value that cannot match anything, with how to fix it. */
export class FeedFilterError extends Error {
  public override readonly name = 'FeedFilterError';
}

/**
 * Checks a filter before it is used: `trace` must be a 32-hex trace id or a whole traceparent
 * (else every event would silently be filtered out).
 *
 * @throws {FeedFilterError} naming the bad value.
 */
export function checkFeedFilter(filter: FeedFilter): FeedFilter {
  if (filter.trace !== undefined && traceIdOf(filter.trace) === undefined) {
    throw new FeedFilterError(`trace must be a trace id (32 hex digits) or a traceparent (00-<32 hex>-<16 hex>-<2 hex>); got "${filter.trace}"`);
  }
  return filter;
}

/** Whether no filter is given (everything matches). */
export function isEmptyFilter(filter: FeedFilter): boolean {
  return filter.type === undefined && filter.subject === undefined && filter.account === undefined && filter.trace === undefined;
}

/**
 * Whether an envelope passes every filter that is given:
 * - `type`, `subject`: equal;
 * - `account`: the event is about that account: its subject or partition key (account events), or
 *   its `data.accountId` (a card swipe or a fraud alert names the account it is about);
 * - `trace`: its traceparent's trace id equals the given trace id (or the trace id of the given traceparent).
 *
 * @example
 * matchesFeedFilter({ type: 'sluice.account.deposited.v1', subject: 'a1' }, { account: 'a1' }) // true
 */
export function matchesFeedFilter(envelope: FilterableEnvelope, filter: FeedFilter): boolean {
  if (filter.type !== undefined && envelope.type !== filter.type) return false;
  if (filter.subject !== undefined && envelope.subject !== filter.subject) return false;
  if (filter.account !== undefined && !isAboutAccount(envelope, filter.account)) return false;
  if (filter.trace !== undefined) {
    const wanted = traceIdOf(filter.trace);
    const carried = typeof envelope.traceparent === 'string' ? traceIdOf(envelope.traceparent) : undefined;
    if (wanted === undefined || carried !== wanted) return false;
  }
  return true;
}

function isAboutAccount(envelope: FilterableEnvelope, account: string): boolean {
  if (envelope.subject === account || envelope.partitionkey === account) return true;
  const data = envelope.data;
  return typeof data === 'object' && data !== null && (data as { accountId?: unknown }).accountId === account;
}
