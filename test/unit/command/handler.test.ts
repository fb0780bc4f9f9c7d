import { handleCommand } from '../../../lambdas/command/handler';
import { logger } from '../../../lambdas/shared/observability';
import { history } from '../../helpers/account-events';
import { apiEvent, bodyOf } from '../../helpers/api-gateway-events';
import { commandDeps } from '../../helpers/command-deps';

logger.setLogLevel('SILENT');

const setup = commandDeps;

const post = (resource: string, body: unknown, id?: string) => apiEvent('POST', resource, id ? { id } : {}, body);

describe('command handler', () => {
  it('opens an account: 201 with its id and version', async () => {
    const { deps } = setup();

    const response = await handleCommand(post('/accounts', { accountId: 'new-1', owner: 'Ada', currency: 'EUR' }), deps);

    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toEqual({ accountId: 'new-1', version: 1 });
  });

  it('deposits and withdraws: 201 with version and balance', async () => {
    const { deps } = setup();

    const deposited = await handleCommand(post('/accounts/{id}/deposits', { amount: 50 }, 'a1'), deps);
    const withdrawn = await handleCommand(post('/accounts/{id}/withdrawals', { amount: 120, expectedVersion: 3 }, 'a1'), deps);

    expect([deposited.statusCode, bodyOf(deposited)]).toEqual([201, { accountId: 'a1', version: 3, balance: 150 }]);
    expect([withdrawn.statusCode, bodyOf(withdrawn)]).toEqual([201, { accountId: 'a1', version: 4, balance: 30 }]);
  });

  it('answers 400 naming each bad field', async () => {
    const { deps } = setup();

    const response = await handleCommand(post('/accounts', { owner: '', currency: 'euro' }), deps);

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: 'validation_failed' });
    expect(bodyOf(response).details.map((issue: { field: string }) => issue.field)).toEqual(['owner', 'currency']);
  });

  it('answers 400 invalid_json for a body that is not JSON', async () => {
    const { deps } = setup();

    const response = await handleCommand(post('/accounts/{id}/deposits', '{amount: 5', 'a1'), deps);

    expect([response.statusCode, bodyOf(response).error]).toEqual([400, 'invalid_json']);
  });

  it.each([
    ['an unknown account', post('/accounts/{id}/deposits', { amount: 5 }, 'ghost'), 404, 'account_not_found'],
    ['an existing account id', post('/accounts', { accountId: 'a1', owner: 'Ada', currency: 'EUR' }), 409, 'account_exists'],
    ['a stale expectedVersion', post('/accounts/{id}/deposits', { amount: 5, expectedVersion: 1 }, 'a1'), 409, 'version_conflict'],
    ['an overdraft', post('/accounts/{id}/withdrawals', { amount: 101 }, 'a1'), 422, 'insufficient_funds'],
    ['a zero amount', post('/accounts/{id}/withdrawals', { amount: 0 }, 'a1'), 400, 'validation_failed'],
    ['an unknown route', apiEvent('POST', '/accounts/{id}/refunds', { id: 'a1' }, {}), 404, 'route_not_found'],
  ])('answers %s with %i %s', async (_, event, status, code) => {
    const { deps } = setup();

    const response = await handleCommand(event, deps);

    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toMatchObject({ error: code, message: expect.any(String) });
  });

  it('answers 409 when a concurrent write wins over a command pinned to its version', async () => {
    const { deps, eventStore } = setup();
    eventStore.beforeAppend = () => eventStore.seed([{ ...history('a1').opened().deposit(1).deposit(1).stored()[2] }]);

    const response = await handleCommand(post('/accounts/{id}/deposits', { amount: 5, expectedVersion: 2 }, 'a1'), deps);

    expect([response.statusCode, bodyOf(response).error]).toEqual([409, 'version_conflict']);
  });

  it('answers 500 without internals when the store fails', async () => {
    const { deps, eventStore } = setup();
    jest.spyOn(eventStore, 'readStream').mockRejectedValue(new Error('socket hang up'));

    const response = await handleCommand(post('/accounts/{id}/deposits', { amount: 5 }, 'a1'), deps);

    expect(response.statusCode).toBe(500);
    expect(bodyOf(response).error).toBe('internal_error');
    expect(response.body).not.toContain('socket hang up');
  });
});
