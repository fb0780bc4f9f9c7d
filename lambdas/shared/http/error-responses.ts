import type { APIGatewayProxyResult } from 'aws-lambda';
import { SluiceError } from '../errors';
import { json } from './responses';

/** Every 4xx/5xx body: `{ error, message, details? }`. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details?: readonly unknown[];
}

/**
 * Status code per error `code`: the one place domain and core errors become HTTP.
 * A code not listed here is a bug on our side, hence 500.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  validation_failed: 400,
  invalid_json: 400,
  route_not_found: 404,
  account_not_found: 404,
  account_exists: 409,
  version_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  insufficient_funds: 422,
  idempotency_key_reused: 422,
  request_in_progress: 409,
};

/**
 * The HTTP response for an error thrown while handling a request.
 *
 * @example
 * errorResponse(new InsufficientFundsError('a1', 100, 500)) // 422 { error: 'insufficient_funds', message: … }
 */
export function errorResponse(error: unknown): APIGatewayProxyResult {
  const status = error instanceof SluiceError ? STATUS_BY_CODE[error.code] : undefined;
  if (status === undefined || !(error instanceof SluiceError)) {
    // Internal details (table names, SDK messages, stacks) stay in the logs, not in the response.
    const message = 'the request failed because of an internal error; retry later, and report the time of the request if it persists';
    return json(500, { error: 'internal_error', message } satisfies ErrorBody);
  }
  const body: ErrorBody = {
    error: error.code,
    message: error.message,
    ...(error.details && error.details.length > 0 ? { details: error.details } : {}),
  };
  return json(status, body);
}

/** Whether an error is an expected client error (4xx), so handlers log it at a lower level. */
export function isClientError(error: unknown): boolean {
  return error instanceof SluiceError && (STATUS_BY_CODE[error.code] ?? 500) < 500;
}
