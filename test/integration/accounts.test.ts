import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { api, apiWithoutKey } from './support/http';
import { readModelAt, storedEvents, uniqueId } from './support/accounts';
import { expectGatewayResponseBody } from './support/gateway-responses';
import { clients, output } from './support/target';

async function openAccount(owner = 'Ada', currency = 'EUR'): Promise<string> {
  const { status, body } = await api('POST', '/accounts', { accountId: uniqueId('acc'), owner, currency });
  expect(status).toBe(201);
  return body.accountId;
}

describe('accounts: command → event store → outbox → stream → read model', () => {
  it('opens an account, deposits, withdraws and shows the folded balance through GET', async () => {
    const accountId = await openAccount();
    const deposit = await api('POST', `/accounts/${accountId}/deposits`, { amount: 5000 });
    expect(deposit).toMatchObject({ status: 201, body: { accountId, version: 2, balance: 5000 } });
    const withdrawal = await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 1200, expectedVersion: 2 });
    expect(withdrawal).toMatchObject({ status: 201, body: { accountId, version: 3, balance: 3800 } });

    const { body } = await readModelAt(accountId, 3);
    expect(body).toMatchObject({ accountId, balance: 3800, currency: 'EUR', version: 3 });

    const transactions = await api('GET', `/accounts/${accountId}/transactions?limit=2`);
    expect(transactions.status).toBe(200);
    expect(transactions.body.items.map((t: { kind: string; amount?: number }) => t.kind)).toEqual(['opened', 'deposit']);
    const next = await api('GET', `/accounts/${accountId}/transactions?limit=2&cursor=${encodeURIComponent(transactions.body.cursor)}`);
    expect(next.body.items).toEqual([expect.objectContaining({ kind: 'withdrawal', amount: 1200, balanceAfter: 3800, version: 3 })]);
  });

  it('stores the events in the event store, in version order', async () => {
    const accountId = await openAccount();
    await api('POST', `/accounts/${accountId}/deposits`, { amount: 10 });
    const { Items = [] } = await clients.dynamo.send(
      new QueryCommand({
        TableName: output('EventStoreTableName'),
        KeyConditionExpression: 'streamId = :s',
        ExpressionAttributeValues: { ':s': `account#${accountId}` },
      }),
    );
    expect(Items.map((i) => [i.version, i.type])).toEqual([
      [1, 'sluice.account.opened.v1'],
      [2, 'sluice.account.deposited.v2'],
    ]);
  });

  it('stores the payer reference of a deposit and refuses one longer than 140 characters', async () => {
    const accountId = await openAccount();
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 25, reference: 'invoice 42' })).status).toBe(201);
    const tooLong = await api('POST', `/accounts/${accountId}/deposits`, { amount: 25, reference: 'x'.repeat(141) });
    expect(tooLong.status).toBe(400);
    expectGatewayResponseBody(tooLong.body, 'validation_failed');
    const deposited = (await storedEvents(accountId)).find((item) => item.version === 2);
    expect(deposited).toMatchObject({ type: 'sluice.account.deposited.v2', data: { amount: 25, reference: 'invoice 42', channel: 'api' } });
  });

  it('refuses an overdraft with 422 and stores nothing', async () => {
    const accountId = await openAccount();
    await api('POST', `/accounts/${accountId}/deposits`, { amount: 100 });
    const { status, body } = await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 101 });
    expect(status).toBe(422);
    expect(body.error).toBe('insufficient_funds');
    const { body: after } = await api('POST', `/accounts/${accountId}/deposits`, { amount: 1 });
    expect(after).toMatchObject({ version: 3, balance: 101 });
  });

  it('lets exactly one of two concurrent commands on the same version win and loses no update', async () => {
    const accountId = await openAccount();
    const results = await Promise.all([
      api('POST', `/accounts/${accountId}/deposits`, { amount: 300, expectedVersion: 1 }),
      api('POST', `/accounts/${accountId}/deposits`, { amount: 700, expectedVersion: 1 }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const winner = results.find((r) => r.status === 201)!;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error).toBe('version_conflict');
    const { body } = await readModelAt(accountId, 2);
    expect(body).toMatchObject({ version: 2, balance: winner.body.balance });
  });

  it('applies every one of many concurrent unconditional deposits once', async () => {
    const accountId = await openAccount();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => api('POST', `/accounts/${accountId}/deposits`, { amount: 10 * 2 ** i })));

    // Unpinned commands are decided again after losing the race: every one is accepted, each at its own version.
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    // Amounts are distinct powers of two: the total shows which deposits were folded, each once.
    const { body } = await readModelAt(accountId, 9);
    expect(body).toMatchObject({ version: 9, balance: 10 * (2 ** 8 - 1) });
    expect((await storedEvents(accountId)).map((item) => item.data.amount).sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, i) => 10 * 2 ** i));
  });

  describe('errors in the contract shape', () => {
    it('answers 400 naming the field when a body does not match the model', async () => {
      const { status, body } = await api('POST', '/accounts', { currency: 'EUR' });
      expect(status).toBe(400);
      expectGatewayResponseBody(body, 'validation_failed', ({ message }) => expect(message).toContain('owner'));
    });

    it('answers 404 for an unknown account', async () => {
      const { status, body } = await api('GET', `/accounts/${uniqueId('missing')}`);
      expect(status).toBe(404);
      expect(body.error).toBe('account_not_found');
    });

    it('answers 404 when depositing to an unknown account', async () => {
      const { status } = await api('POST', `/accounts/${uniqueId('missing')}/deposits`, { amount: 1 });
      expect(status).toBe(404);
    });

    it('answers 409 when the account already exists', async () => {
      const accountId = await openAccount();
      const { status, body } = await api('POST', '/accounts', { accountId, owner: 'Eve', currency: 'EUR' });
      expect(status).toBe(409);
      expect(body.error).toBe('account_exists');
    });

    it('answers 403 forbidden without an x-api-key header', async () => {
      const { status, body } = await apiWithoutKey('GET', `/accounts/${uniqueId('nokey')}`);
      expect(status).toBe(403);
      expectGatewayResponseBody(body, 'forbidden', ({ message }) => expect(message).toMatch(/x-api-key/));
    });

    it('answers 403 forbidden to a command without an x-api-key header, and applies nothing', async () => {
      const accountId = uniqueId('nokey');
      const { status, body } = await apiWithoutKey('POST', '/accounts', { accountId, owner: 'Mallory', currency: 'EUR' });
      expect(status).toBe(403);
      expectGatewayResponseBody(body, 'forbidden', ({ message }) => expect(message).toMatch(/x-api-key/));
      expect(await storedEvents(accountId)).toEqual([]);
    });

    it('answers 403 forbidden with a wrong API key', async () => {
      const { status, body } = await api('GET', '/accounts/x', undefined, { 'x-api-key': 'wrong' });
      expect(status).toBe(403);
      expectGatewayResponseBody(body, 'forbidden', ({ message }) => expect(message).toMatch(/x-api-key/));
    });
  });
});
