import * as z from './zod';
import { ConfigurationError } from './errors';
import { SHARED_ENV } from './environment';

/**
 * The input rules of the contract (DESIGN.md, "Input rules") that are not tied to one route:
 * free text, event-time bounds. Each rule lives here once; the zod schemas of every route use it,
 * and the API Gateway models are generated from those schemas (lib/api-models.ts), so the edge
 * and the functions cannot disagree. See docs/input-rules.md for the why.
 */

/**
 * Characters free text may not hold: C0 and C1 control characters (NUL, ESC, DEL…), and the
 * bidirectional formatting characters that make text display in another order than it is stored
 * ("Trojan Source"): LRE/RLE/PDF/LRO/RLO (U+202A–U+202E), LRI/RLI/FSI/PDI (U+2066–U+2069) and the
 * LRM/RLM/ALM marks (U+200E, U+200F, U+061C).
 *
 * Written with `\u` escapes so the JSON Schema `pattern` zod derives from it is plain ASCII, read
 * the same by ajv (local) and API Gateway's Java validator.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: free text must not hold them
export const FREE_TEXT_PATTERN = /^[^\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$/;

/** What a caller is told when free text holds a forbidden character. */
export const FREE_TEXT_MESSAGE =
  'must not contain control characters (U+0000–U+001F, U+007F–U+009F) or bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)';

/**
 * A free-text field (owner, reference, source, subject, merchant…): `min`..`max` characters,
 * none of them control or bidi formatting characters; `trim` strips surrounding spaces first
 * (for names and references people type).
 *
 * @example
 * freeText(1, 200).safeParse('Ada\u202Egnp.exe').success // false
 */
export function freeText(min: number, max: number, options: { readonly trim?: boolean } = {}) {
  return z
    .string()
    .check(
      ...(options.trim ? [z.trim()] : []),
      z.minLength(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`),
      z.maxLength(max, `must be at most ${max} characters`),
      z.regex(FREE_TEXT_PATTERN, FREE_TEXT_MESSAGE),
    );
}

/** How far an event's time may lie from now: `pastMs` before, `futureMs` after. */
export interface EventTimeBounds {
  readonly pastMs: number;
  readonly futureMs: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The contract's default window: [now − 7 days, now + 5 minutes]. */
export const DEFAULT_EVENT_TIME_BOUNDS: EventTimeBounds = { pastMs: 7 * DAY_MS, futureMs: 5 * MINUTE_MS };

/**
 * The bounds from `EVENT_TIME_PAST_DAYS` and `EVENT_TIME_FUTURE_MINUTES` (set by the stack from
 * `-c eventTimePastDays` / `-c eventTimeFutureMinutes`), defaulting to 7 days and 5 minutes.
 *
 * @throws {ConfigurationError} for a value that is not a positive integer.
 */
export function eventTimeBoundsFromEnv(env: NodeJS.ProcessEnv = process.env): EventTimeBounds {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[1-9][0-9]{0,5}$/.test(raw)) throw new ConfigurationError(`environment variable ${name} must be a positive integer (got "${raw}")`);
    return Number(raw);
  };
  return {
    pastMs: read(SHARED_ENV.eventTimePastDays, 7) * DAY_MS,
    futureMs: read(SHARED_ENV.eventTimeFutureMinutes, 5) * MINUTE_MS,
  };
}

/** The earliest and latest accepted event time (epoch ms) at `now`. */
export function eventTimeWindow(now: Date, bounds: EventTimeBounds): { readonly earliestMs: number; readonly latestMs: number } {
  return { earliestMs: now.getTime() - bounds.pastMs, latestMs: now.getTime() + bounds.futureMs };
}

/**
 * Why an event time is refused, or `undefined` when it lies within the bounds. An unparseable
 * time is refused too, so callers never compute with `NaN`.
 *
 * @example
 * eventTimeIssue('9999-12-31T00:00:00Z', new Date(), DEFAULT_EVENT_TIME_BOUNDS)
 * // 'must lie between 2026-… and 2026-… (now − 7 days … now + 5 minutes); got 9999-12-31T00:00:00Z'
 */
export function eventTimeIssue(time: string, now: Date, bounds: EventTimeBounds): string | undefined {
  const ms = Date.parse(time);
  const { earliestMs, latestMs } = eventTimeWindow(now, bounds);
  if (Number.isFinite(ms) && ms >= earliestMs && ms <= latestMs) return undefined;
  return `must lie between ${new Date(earliestMs).toISOString()} and ${new Date(latestMs).toISOString()} (now − ${describe(bounds.pastMs)} … now + ${describe(bounds.futureMs)}); got ${time}`;
}

function describe(ms: number): string {
  return ms % DAY_MS === 0 ? `${ms / DAY_MS} days` : `${ms / MINUTE_MS} minutes`;
}
