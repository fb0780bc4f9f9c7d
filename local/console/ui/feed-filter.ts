/**
 * The feed's filters as a query string: the `events` route and the `live` route take the same
 * four filters and apply them on the server, so the page never filters events itself.
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
