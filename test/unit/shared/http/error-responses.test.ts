import {
  AccountAlreadyExistsError,
  AccountNotFoundError,
  InsufficientFundsError,
  StaleVersionError,
} from '../../../../lambdas/domain/accounts/errors';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { VersionConflictError } from '../../../../lambdas/shared/event-store/errors';
import { errorResponse, isClientError } from '../../../../lambdas/shared/http/error-responses';
import { InvalidJsonError } from '../../../../lambdas/shared/http/request';
import { RouteNotFoundError } from '../../../../lambdas/shared/http/routes';

describe('errorResponse', () => {
  it.each([
    [new ValidationError('bad', [{ field: 'amount', message: 'must be > 0' }]), 400, 'validation_failed'],
    [new InvalidJsonError('not json'), 400, 'invalid_json'],
    [new RouteNotFoundError('GET', '/nope'), 404, 'route_not_found'],
    [new AccountNotFoundError('a1'), 404, 'account_not_found'],
    [new AccountAlreadyExistsError('a1'), 409, 'account_exists'],
    [new VersionConflictError('account#a1', 3), 409, 'version_conflict'],
    [new StaleVersionError('a1', 2, 3), 409, 'version_conflict'],
    [new InsufficientFundsError('a1', 10, 20), 422, 'insufficient_funds'],
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
    expect(JSON.parse(errorResponse(new AccountNotFoundError('a1')).body)).not.toHaveProperty('details');
  });

  it('answers 500 internal_error without internal details for anything else', () => {
    const response = errorResponse(new Error('ResourceNotFoundException: table sluice-prod-events not found'));
    const body = JSON.parse(response.body);

    expect(response.statusCode).toBe(500);
    expect(body.error).toBe('internal_error');
    expect(response.body).not.toMatch(/sluice-prod-events|at .*\.ts/);
    expect(isClientError(new Error('x'))).toBe(false);
  });
});
