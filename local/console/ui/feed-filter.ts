/**
 * The feed's data without its view (no Preact here, so unit tests and the Node type-check import it):
 * the filters as a query string (the `events` and `live` routes take the same four filters and
 * apply them on the server, so the page never filters events itself) and the merge of both routes'
 * events.
 */
import type { FeedEvent, FeedFilter } from '../contract';

const FILTERS = ['type', 'subject', 'account', 'trace'] as const;

/** The filters given (trimmed, empty ones left out), plus `limit` when given, as `?a=b&…` (or `''`). */
export function feedQuery(filter: FeedFilter, limit?: number): string {
  const params = new URLSearchParams();
  for (const key of FILTERS) {
    const value = filter[key]?.trim();
    if (value) params.set(key, value);
  }
  if (limit !== undefined) params.set('limit', String(limit));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The account an envelope is about, for the feed's account column: `data.accountId`, else its subject. */
export function accountOf(envelope: FeedEvent['envelope']): string | undefined {
  const data = envelope.data as { accountId?: unknown } | undefined;
  return typeof data?.accountId === 'string' ? data.accountId : envelope.subject;
}

/** Rows the feed keeps and shows. */
export const FEED_LIMIT = 200;

/** One record of the stream, whichever route delivered it. */
export const keyOf = (event: FeedEvent) => `${event.shardId}/${event.sequenceNumber}`;

/** Newest first, each record once (a live message may repeat one the route already gave). */
export function mergeFeed(...lists: FeedEvent[][]): FeedEvent[] {
  const byKey = new Map<string, FeedEvent>();
  for (const event of lists.flat()) byKey.set(keyOf(event), event);
  return [...byKey.values()].sort((a, b) => b.arrivedAt - a.arrivedAt).slice(0, FEED_LIMIT);
}
