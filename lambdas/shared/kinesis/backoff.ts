/** Exponential backoff settings: the first retry waits up to `baseDelayMs`, doubling up to `maxDelayMs`. */
export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (1 = first retry), with "full jitter".
 *
 * Full jitter (a random delay between 0 and the exponential cap) spreads retries of many
 * concurrent callers apart, which is what relieves a throttled shard.
 *
 * @example
 * fullJitterDelayMs(3, { baseDelayMs: 50, maxDelayMs: 2000 }) // somewhere in [0, 200)
 */
export function fullJitterDelayMs(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
