/**
 * Which feed events the page shows under the filters: the same four filters the `events` route
 * takes, applied to events that arrive live (the route filters the first page on the server).
 */
import type { FeedEvent, FeedFilter } from '../contract';

/** The trace id (32 hex) of a `traceparent` (`00-<trace id>-<span id>-<flags>`) or of a bare trace id; undefined otherwise. */
export function traceIdOf(value: string | undefined): string | undefined {
  const text = value?.trim().toLowerCase() ?? '';
  if (/^[0-9a-f]{32}$/.test(text)) return text;
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(text)?.[1];
}

/** The account an envelope is about: `data.accountId`, else its subject. */
export function accountOf(envelope: FeedEvent['envelope']): string | undefined {
  const data = envelope.data as { accountId?: unknown } | undefined;
  return typeof data?.accountId === 'string' ? data.accountId : envelope.subject;
}

/** True when the event meets every filter given (empty filters match everything). */
export function matchesFeedFilter(event: FeedEvent, filter: FeedFilter): boolean {
  const { envelope } = event;
  if (filter.type && envelope.type !== filter.type.trim()) return false;
  if (filter.subject && envelope.subject !== filter.subject.trim()) return false;
  if (filter.account && accountOf(envelope) !== filter.account.trim()) return false;
  if (filter.trace) {
    const wanted = traceIdOf(filter.trace);
    if (wanted === undefined || traceIdOf(envelope.traceparent) !== wanted) return false;
  }
  return true;
}

/** The filters as the `events` route's query string (only those given), with a leading `?` when any. */
export function feedQuery(filter: FeedFilter, limit: number): string {
  const params = new URLSearchParams();
  for (const key of ['type', 'subject', 'account', 'trace'] as const) {
    const value = filter[key]?.trim();
    if (value) params.set(key, value);
  }
  params.set('limit', String(limit));
  return `?${params.toString()}`;
}
