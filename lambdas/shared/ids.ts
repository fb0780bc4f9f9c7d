import { createHash } from 'node:crypto';
import { encodeTime, ulid } from 'ulid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The largest time a ULID can hold (48 bits of milliseconds, the year 10889). */
const MAX_ULID_TIME_MS = 2 ** 48 - 1;

/**
 * A time a ULID can encode: `ulid`/`encodeTime` throw for a negative, fractional, too large or
 * NaN time (a pre-1970 event time made the fraud detector throw and stall its shard). Times are
 * bounded on input; this keeps id generation total whatever reaches it.
 */
function ulidTime(timeMs: number): number {
  if (Number.isNaN(timeMs)) return 0;
  return Math.min(MAX_ULID_TIME_MS, Math.max(0, Math.floor(timeMs)));
}

/** A new event id: a ULID, so ids sort by creation time. Never throws, whatever the time. */
export function newEventId(timeMs: number = Date.now()): string {
  return ulid(ulidTime(timeMs));
}

/**
 * A deterministic ULID derived from a seed, for events produced *because of* another event.
 *
 * Re-processing the same input (a retry, a replay) yields the same id, so downstream
 * consumers can drop the duplicate. Never throws, whatever the time.
 *
 * @example
 * deriveEventId(Date.parse(swipe.time), `fraud:${swipe.id}`) // same input → same id
 */
export function deriveEventId(timeMs: number, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let randomness = '';
  for (let i = 0; i < 16; i++) randomness += CROCKFORD[digest[i] % 32];
  return encodeTime(ulidTime(timeMs), 10) + randomness;
}
