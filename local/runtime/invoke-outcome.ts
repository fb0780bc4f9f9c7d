/**
 * What one synchronous invocation produced, as the Lambda Invoke API tells its caller apart:
 * a result, a function error (HTTP 200 with `X-Amz-Function-Error`), or a throttle (HTTP 429
 * `TooManyRequestsException`, the function never ran).
 */

/** What a failed invocation reports, as the Lambda Invoke API's function error payload. */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** The invocation was refused before it ran: the function is at its reserved concurrency (or it is 0). */
export interface ThrottledOutcome {
  readonly ok: false;
  readonly kind: 'throttled';
  /** `TooManyRequestsException`, with the message and reason AWS returns. */
  readonly error: FunctionError & { readonly reason: ThrottleReason };
}

/** The Invoke API's `Reason` field on a 429. */
export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded';

export type InvokeOutcome =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly kind?: 'function-error'; readonly error: FunctionError } | ThrottledOutcome;

/**
 * True when the function was throttled and did not run. Event source mappings retry a throttle
 * without counting it against MaximumRetryAttempts or the SQS receive count, as AWS does.
 */
export function isThrottled(outcome: InvokeOutcome): outcome is ThrottledOutcome {
  return !outcome.ok && outcome.kind === 'throttled';
}

/** The throttle AWS returns for a function at its reserved concurrency (AWS's exact message). */
export function throttledOutcome(): ThrottledOutcome {
  return {
    ok: false,
    kind: 'throttled',
    error: {
      errorType: 'TooManyRequestsException',
      errorMessage: 'Rate Exceeded.',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    },
  };
}
