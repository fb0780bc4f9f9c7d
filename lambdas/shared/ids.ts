import { createHash } from 'node:crypto';
import { encodeTime, ulid } from 'ulid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new event id: a ULID, so ids sort by creation time. */
export function newEventId(timeMs: number = Date.now()): string {
  return ulid(timeMs);
}

/**
 * A deterministic ULID derived from a seed, for events produced *because of* another event.
 *
 * Re-processing the same input (a retry, a replay) yields the same id, so downstream
 * consumers can drop the duplicate.
 *
 * @example
 * deriveEventId(Date.parse(swipe.time), `fraud:${swipe.id}`) // same input → same id
 */
export function deriveEventId(timeMs: number, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let randomness = '';
  for (let i = 0; i < 16; i++) randomness += CROCKFORD[digest[i] % 32];
  return encodeTime(timeMs, 10) + randomness;
}
