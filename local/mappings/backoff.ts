/** How long a mapping waits before retrying a batch, after a throttle or a failure. */

/** Backoff before retrying a batch (after a throttle or a failure): doubles per attempt from `baseMs`, at most `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs = 5000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 16));
}
