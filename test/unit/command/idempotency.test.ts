import type { APIGatewayProxyEvent } from 'aws-lambda';
import { handleCommand } from '../../../lambdas/command/handler';
import { type IdempotentResponder, idempotentResponder } from '../../../lambdas/shared/http/idempotency';
import { logger } from '../../../lambdas/shared/observability';
import { history } from '../../helpers/account-events';
import { apiEvent, bodyOf } from '../../helpers/api-gateway-events';
import { commandDeps } from '../../helpers/command-deps';
import { InMemoryIdempotencyStore } from '../../helpers/in-memory-idempotency-store';

logger.setLogLevel('SILENT');

function setup() {
  const { deps, eventStore } = commandDeps();
  eventStore.seed(history('a2').opened().stored());
  const respond = idempotentResponder(new InMemoryIdempotencyStore());
  const send = (event: APIGatewayProxyEvent) => handleCommand(event, deps, () => respond);
  return { eventStore, send };
}

function withKey(event: APIGatewayProxyEvent, key: string, header = 'Idempotency-Key'): APIGatewayProxyEvent {
  return { ...event, headers: { ...event.headers, [header]: key } };
}

const deposit = (amount: number, key: string, accountId = 'a1') => withKey(apiEvent('POST', '/accounts/{id}/deposits', { id: accountId }, { amount }), key);

describe('command handler with an Idempotency-Key', () => {
  it('applies a repeated deposit once and answers the repeat with the first response, marked replayed', async () => {
    const { eventStore, send } = setup();

    const first = await send(deposit(50, 'k1'));
    const repeat = await send(deposit(50, 'k1'));

    expect([first.statusCode, bodyOf(first)]).toEqual([201, { accountId: 'a1', version: 3, balance: 150 }]);
    expect(first.headers?.['idempotent-replayed']).toBeUndefined();
    expect([repeat.statusCode, repeat.body]).toEqual([201, first.body]);
    expect(repeat.headers?.['idempotent-replayed']).toBe('true');
    expect(eventStore.stream('account#a1')).toHaveLength(3);
  });

  it('reads the account while the idempotency record is written, and decides on that read', async () => {
    const { deps, eventStore } = commandDeps();
    const readStream = jest.spyOn(eventStore, 'readStream');
    const respond = idempotentResponder(new InMemoryIdempotencyStore());
    let readsBeforeRecord = -1;
    const recordingResponder: IdempotentResponder = (request, execute) => {
      readsBeforeRecord = readStream.mock.calls.length;
      return respond(request, execute);
    };

    const response = await handleCommand(deposit(50, 'k1'), { ...deps, snapshotEvery: 50 }, () => recordingResponder);

    expect([response.statusCode, bodyOf(response)]).toEqual([201, { accountId: 'a1', version: 3, balance: 150 }]);
    expect(readsBeforeRecord).toBe(1);
    expect(readStream).toHaveBeenCalledTimes(1);
  });

  it('decides again when a write lands between that early read and the append', async () => {
    const { eventStore, send } = setup();
    eventStore.beforeAppend = () => void eventStore.seed(history('a1').opened().deposit(100).deposit(7).stored());

    const response = await send(deposit(50, 'k1'));

    expect([response.statusCode, bodyOf(response)]).toEqual([201, { accountId: 'a1', version: 4, balance: 157 }]);
  });

  it('finds the header whatever its case', async () => {
    const { eventStore, send } = setup();

    await send(deposit(50, 'k1'));
    const repeat = await send(withKey(apiEvent('POST', '/accounts/{id}/deposits', { id: 'a1' }, { amount: 50 }), 'k1', 'idempotency-key'));

    expect(repeat.headers?.['idempotent-replayed']).toBe('true');
    expect(eventStore.stream('account#a1')).toHaveLength(3);
  });

  it('treats a body with its fields in another order as the same body', async () => {
    const { send } = setup();

    await send(withKey(apiEvent('POST', '/accounts/{id}/deposits', { id: 'a1' }, '{"amount":5,"reference":"r"}'), 'k'));
    const repeat = await send(withKey(apiEvent('POST', '/accounts/{id}/deposits', { id: 'a1' }, '{"reference":"r","amount":5}'), 'k'));

    expect(repeat.headers?.['idempotent-replayed']).toBe('true');
  });

  it('answers 422 idempotency_key_reused for the same key with another body, and applies nothing', async () => {
    const { eventStore, send } = setup();

    await send(deposit(50, 'k1'));
    const reused = await send(deposit(60, 'k1'));

    expect([reused.statusCode, bodyOf(reused).error]).toEqual([422, 'idempotency_key_reused']);
    expect(eventStore.stream('account#a1')).toHaveLength(3);
  });

  it('scopes keys to the route and the account', async () => {
    const { eventStore, send } = setup();

    await send(deposit(50, 'k1', 'a1'));
    const otherAccount = await send(deposit(50, 'k1', 'a2'));
    const otherRoute = await send(withKey(apiEvent('POST', '/accounts/{id}/withdrawals', { id: 'a1' }, { amount: 50 }), 'k1'));

    expect([otherAccount.statusCode, otherAccount.headers?.['idempotent-replayed']]).toEqual([201, undefined]);
    expect([otherRoute.statusCode, otherRoute.headers?.['idempotent-replayed']]).toEqual([201, undefined]);
    expect(eventStore.stream('account#a2')).toHaveLength(2);
    expect(eventStore.stream('account#a1')).toHaveLength(4);
  });

  it('answers 409 request_in_progress to a repeat while the first is still running', async () => {
    const { eventStore, send } = setup();
    let release!: () => void;
    let entered!: () => void;
    const appending = new Promise<void>((resolve) => (entered = resolve));
    eventStore.beforeAppend = () => {
      entered();
      return new Promise<void>((resolve) => (release = resolve));
    };

    const first = send(deposit(50, 'k1'));
    await appending;
    const repeat = await send(deposit(50, 'k1'));
    release();

    expect([repeat.statusCode, bodyOf(repeat).error]).toEqual([409, 'request_in_progress']);
    expect((await first).statusCode).toBe(201);
    expect(eventStore.stream('account#a1')).toHaveLength(3);
  });

  it('replays a refusal the domain decided (422 insufficient funds) with its status and body', async () => {
    const { send } = setup();

    const first = await send(withKey(apiEvent('POST', '/accounts/{id}/withdrawals', { id: 'a1' }, { amount: 500 }), 'w'));
    const repeat = await send(withKey(apiEvent('POST', '/accounts/{id}/withdrawals', { id: 'a1' }, { amount: 500 }), 'w'));

    expect([first.statusCode, bodyOf(first).error]).toEqual([422, 'insufficient_funds']);
    expect([repeat.statusCode, repeat.body, repeat.headers?.['idempotent-replayed']]).toEqual([422, first.body, 'true']);
  });

  it('stores nothing for a failure a retry may fix (500), so the retry applies', async () => {
    const { eventStore, send } = setup();
    const read = jest.spyOn(eventStore, 'readStream').mockRejectedValueOnce(new Error('socket hang up'));

    const failed = await send(deposit(50, 'k1'));
    const retried = await send(deposit(50, 'k1'));

    expect(failed.statusCode).toBe(500);
    expect([retried.statusCode, retried.headers?.['idempotent-replayed']]).toEqual([201, undefined]);
    expect(eventStore.stream('account#a1')).toHaveLength(3);
    read.mockRestore();
  });

  it('returns the generated account id of the first open to a repeat', async () => {
    const { send } = setup();
    const open = () => withKey(apiEvent('POST', '/accounts', {}, { owner: 'Ada', currency: 'EUR' }), 'open-1');

    const first = await send(open());
    const repeat = await send(open());

    expect(first.statusCode).toBe(201);
    expect(bodyOf(repeat).accountId).toBe(bodyOf(first).accountId);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a control character', 'k\u0001'],
    ['non-ASCII', 'clé'],
  ])('answers 400 for a key that is %s, before anything runs', async (_, key) => {
    const { eventStore, send } = setup();

    const response = await send(deposit(50, key));

    expect([response.statusCode, bodyOf(response).error]).toEqual([400, 'validation_failed']);
    expect(eventStore.stream('account#a1')).toHaveLength(2);
  });

  it('accepts a key of 255 printable characters', async () => {
    const { send } = setup();

    expect((await send(deposit(50, '~'.repeat(255)))).statusCode).toBe(201);
  });
});
