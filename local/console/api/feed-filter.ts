/**
 * The feed's filters (`type`, `subject`, `account`, `trace`, and `limit`), read from a query string
 * with a 400 naming each bad one. The predicate that applies them is `sluice tail`'s own
 * (cli/event-filter.ts), so the console and the terminal filter alike.
 */
import { accountIdSchema } from '../../../lambdas/domain/accounts/events';
import { FREE_TEXT_PATTERN } from '../../../lambdas/shared/input-rules';
import { traceIdOf } from '../../../lambdas/shared/trace-context';
import type { FeedFilter } from '../contract';
import { invalid } from './refusal';

/** Envelopes `GET events` answers without `limit`, and at most. */
export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = 500;

const EVENT_TYPE = /^[a-z0-9]+(\.[a-z0-9-]+)+$/;
const KNOWN_PARAMETERS = ['type', 'subject', 'account', 'trace', 'limit'];

/** A feed filter and a limit, from `GET events`' query. */
export interface FeedQuery {
  readonly filter: FeedFilter;
  readonly limit: number;
}

/**
 * Reads the filters of a query string.
 *
 * @throws ConsoleRefusal 400 naming an unknown parameter, a repeated one, or a bad value and what it must be
 */
export function parseFeedQuery(query: URLSearchParams): FeedQuery {
  for (const name of new Set(query.keys())) {
    if (!KNOWN_PARAMETERS.includes(name)) throw invalid(name, `is not a filter of the feed; use ${KNOWN_PARAMETERS.join(', ')}`);
    if (query.getAll(name).length > 1) throw invalid(name, 'is given more than once; give each filter once');
  }
  const filter: { -readonly [K in keyof FeedFilter]: FeedFilter[K] } = {};
  const type = query.get('type');
  if (type !== null) filter.type = checked('type', type, EVENT_TYPE.test(type) && type.length <= 128, 'must be an event type such as sluice.account.deposited.v1');
  const subject = query.get('subject');
  if (subject !== null)
    filter.subject = checked(
      'subject',
      subject,
      subject.length >= 1 && subject.length <= 256 && FREE_TEXT_PATTERN.test(subject),
      'must be 1 to 256 characters of free text',
    );
  const account = query.get('account');
  if (account !== null)
    filter.account = checked('account', account, accountIdSchema.safeParse(account).success, 'must be an account id: 1 to 64 letters, digits, "_" or "-"');
  const trace = query.get('trace');
  if (trace !== null)
    filter.trace = checked(
      'trace',
      trace,
      traceIdOf(trace) !== undefined,
      'must be a trace id (32 hex digits, not all zero) or a whole traceparent (00-<32 hex>-<16 hex>-<2 hex>)',
    );
  return { filter, limit: parseLimit(query.get('limit')) };
}

function checked(field: string, value: string, ok: boolean, rule: string): string {
  if (!ok) throw invalid(field, `${rule} (got ${JSON.stringify(value.slice(0, 100))})`);
  return value;
}

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_EVENTS_LIMIT;
  const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_EVENTS_LIMIT))
    throw invalid('limit', `must be a whole number from 1 to ${MAX_EVENTS_LIMIT} (got ${JSON.stringify(raw.slice(0, 20))})`);
  return limit;
}
