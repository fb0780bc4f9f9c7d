import * as accounts from '../../../../lambdas/domain/accounts/errors';
import { ConfigurationError, SluiceError, ValidationError } from '../../../../lambdas/shared/errors';
import { VersionConflictError } from '../../../../lambdas/shared/event-store/errors';
import { errorResponse, isClientError } from '../../../../lambdas/shared/http/error-responses';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../../../../lambdas/shared/http/idempotency';
import { PayloadTooLargeError } from '../../../../lambdas/shared/http/payload-too-large';
import { InvalidJsonError, UnsupportedMediaTypeError } from '../../../../lambdas/shared/http/request';
import { RouteNotFoundError } from '../../../../lambdas/shared/http/routes';

// Every status and code of DESIGN.md's HTTP API table and input rules, as the errors themselves carry them.
describe('errorResponse', () => {
  it.each([
    [new ValidationError('bad', [{ field: 'amount', message: 'must be > 0' }]), 400, 'validation_failed'],
    [new InvalidJsonError('not json'), 400, 'invalid_json'],
    [new RouteNotFoundError('GET', '/nope'), 404, 'route_not_found'],
    [new accounts.AccountNotFoundError('a1'), 404, 'account_not_found'],
    [new accounts.AccountAlreadyExistsError('a1'), 409, 'account_exists'],
    [new VersionConflictError('account#a1', 3), 409, 'version_conflict'],
    [new accounts.StaleVersionError('a1', 2, 3), 409, 'version_conflict'],
    [new RequestInProgressError('POST /accounts'), 409, 'request_in_progress'],
    [new PayloadTooLargeError('the body is 7 MB', 7_000_000, 5_242_880), 413, 'payload_too_large'],
    [new UnsupportedMediaTypeError('text/plain'), 415, 'unsupported_media_type'],
    [new accounts.InsufficientFundsError('a1', 10, 20), 422, 'insufficient_funds'],
    [new IdempotencyKeyReusedError('POST /accounts'), 422, 'idempotency_key_reused'],
  ])('maps %p to %i %s', (error, status, code) => {
    const response = errorResponse(error);

    expect(response.statusCode).toBe(status);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(response.body)).toMatchObject({ error: code, message: error.message });
    expect(isClientError(error)).toBe(true);
  });

  it('includes field details for validation errors only', () => {
    expect(JSON.parse(errorResponse(new ValidationError('bad', [{ field: 'amount', message: 'must be > 0' }])).body).details).toEqual([
      { field: 'amount', message: 'must be > 0' },
    ]);
    expect(JSON.parse(errorResponse(new accounts.AccountNotFoundError('a1')).body)).not.toHaveProperty('details');
  });

  it('answers 500 internal_error without internal details for anything else', () => {
    const response = errorResponse(new Error('ResourceNotFoundException: table sluice-prod-events not found'));
    const body = JSON.parse(response.body);

    expect(response.statusCode).toBe(500);
    expect(body.error).toBe('internal_error');
    expect(response.body).not.toMatch(/sluice-prod-events|at .*\.ts/);
    expect(isClientError(new Error('x'))).toBe(false);
  });

  it.each([
    ['an error of ours without a status', new accounts.AccountHistoryError('a1', 'gap at 4')],
    ['a configuration error', new ConfigurationError('EVENTS_STREAM_NAME is not set')],
    ['a bare SluiceError', new SluiceError('some_code', 'something')],
  ])('answers 500 internal_error for %s, keeping its code and message out of the body', (_what, error) => {
    const response = errorResponse(error);

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: 'internal_error', message: expect.stringContaining('internal error') });
    expect(response.body).not.toContain(error.message);
    expect(isClientError(error)).toBe(false);
  });
});
