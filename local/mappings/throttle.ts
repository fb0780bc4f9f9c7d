/**
 * Recognises a throttled invocation: the function was never run, so event sources treat it apart
 * from a function error (streams retry it without using a retry; SQS leaves the batch to the
 * visibility timeout).
 */
import type { InvokeOutcome } from '../runtime/lambda-runner';

/** The error type Lambda's Invoke API returns when the function's (reserved) concurrency is used up. */
export const THROTTLE_ERROR_TYPE = 'TooManyRequestsException';

/**
 * True when the invocation was throttled, i.e. refused before the function ran: the runner's
 * outcome is a failure whose `errorType` is `TooManyRequestsException` (reserved concurrency 0, or
 * every instance busy at the concurrency limit).
 *
 * @example
 * isThrottle({ ok: false, error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' } }) // true
 * isThrottle({ ok: false, error: { errorType: 'Error', errorMessage: 'boom' } }) // false
 */
export function isThrottle(outcome: InvokeOutcome): boolean {
  return !outcome.ok && outcome.error.errorType === THROTTLE_ERROR_TYPE;
}

/** Backoff before retrying a batch (after a throttle or a failure): doubles per attempt from `baseMs`, at most `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs = 5000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 16));
}
