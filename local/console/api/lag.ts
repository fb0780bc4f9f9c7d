/**
 * Lag arithmetic (pure): how far one consumer is behind on one shard, from the records after its
 * checkpoint, and on the whole source, from its shards. Milliseconds behind is the age of the
 * oldest record not yet processed, as Lambda's IteratorAge metric measures it.
 */

export interface Lag {
  readonly recordsBehind: number;
  readonly millisBehind: number;
}

export const NO_LAG: Lag = { recordsBehind: 0, millisBehind: 0 };

/** The lag of one shard from the records after its checkpoint (in stream order) at `nowMs`. */
export function shardLag(unprocessed: ReadonlyArray<{ readonly arrivalMs: number }>, nowMs: number): Lag {
  if (unprocessed.length === 0) return NO_LAG;
  return { recordsBehind: unprocessed.length, millisBehind: Math.max(0, nowMs - unprocessed[0].arrivalMs) };
}

/** The lag of a whole source: records behind add up, milliseconds behind is the worst shard's. */
export function totalLag(shards: readonly Lag[]): Lag {
  return shards.reduce(
    (total, lag) => ({ recordsBehind: total.recordsBehind + lag.recordsBehind, millisBehind: Math.max(total.millisBehind, lag.millisBehind) }),
    NO_LAG,
  );
}

/**
 * Whether a shard is known to be caught up without reading it: its checkpoint is the last record
 * the console's tap read on it (the tap sees every record appended since it started).
 */
export function caughtUpByTap(checkpoint: string | undefined, tapLastSequence: string | undefined): boolean {
  return checkpoint !== undefined && checkpoint === tapLastSequence;
}
