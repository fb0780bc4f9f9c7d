import type { APIGatewayProxyResult } from 'aws-lambda';
import { type FieldIssue, SluiceError } from '../errors';
import { json } from './responses';

/** Every 4xx/5xx body: `{ error, message, details? }`. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details?: readonly FieldIssue[];
}

/**
 * The HTTP response for an error thrown while handling a request: the error's own `httpStatus`
 * with `{ error: code, message, details? }`, or 500 `internal_error` for an error without one
 * (ours, not the caller's), so the edge keeps no table of codes that the core would have to
 * extend for every domain.
 *
 * @example
 * errorResponse(new InsufficientFundsError('a1', 100, 500)) // 422 { error: 'insufficient_funds', message: … }
 */
export function errorResponse(error: unknown): APIGatewayProxyResult {
  if (!(error instanceof SluiceError) || error.httpStatus === undefined) {
    // Internal details (table names, SDK messages, stacks) stay in the logs, not in the response.
    const message = 'the request failed because of an internal error; retry later, and report the time of the request if it persists';
    return json(500, { error: 'internal_error', message } satisfies ErrorBody);
  }
  const body: ErrorBody = {
    error: error.code,
    message: error.message,
    ...(error.details && error.details.length > 0 ? { details: error.details } : {}),
  };
  return json(error.httpStatus, body);
}

/** Whether an error is an expected client error (4xx), so handlers log it at a lower level. */
export function isClientError(error: unknown): boolean {
  return error instanceof SluiceError && error.httpStatus !== undefined;
}
