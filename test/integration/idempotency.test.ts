import { api, type ApiResponse } from './support/http';
import { readModelAt, storedEvents, uniqueId } from './support/accounts';

async function openAccount(): Promise<string> {
  const { status, body } = await api('POST', '/accounts', { accountId: uniqueId('idem'), owner: 'Ada', currency: 'EUR' });
  expect(status).toBe(201);
  return body.accountId;
}

const depositWithKey = (accountId: string, amount: number, key: string) => api('POST', `/accounts/${accountId}/deposits`, { amount }, { 'Idempotency-Key': key });

const replayed = (response: ApiResponse) => response.headers.get('idempotent-replayed') === 'true';

describe('idempotent commands over HTTP (Idempotency-Key)', () => {
  it('applies a double-submitted deposit once and replays the first response', async () => {
    const accountId = await openAccount();
    const key = uniqueId('key');

    const first = await depositWithKey(accountId, 700, key);
    const second = await depositWithKey(accountId, 700, key);

    expect([first.status, replayed(first)]).toEqual([201, false]);
    expect([second.status, replayed(second), second.body]).toEqual([201, true, first.body]);
    expect((await storedEvents(accountId)).map((e) => e.type)).toEqual(['sluice.account.opened.v1', 'sluice.account.deposited.v2']);
    expect((await readModelAt(accountId, 2)).body).toMatchObject({ balance: 700, version: 2 });
    console.log(
      `double submit: statuses ${first.status}/${second.status}, replayed ${replayed(first)}/${replayed(second)}, balance 700, events ${(await storedEvents(accountId)).length}`,
    );
  });

  it('applies one of 20 concurrent repeats; the others get its response or request_in_progress', async () => {
    // 20 cold starts at once can exceed the 10 s init limit on a loaded machine (a 502 from the
    // gateway: the handler never ran). Keyless bursts on another account first warm containers up
    // (at most three bursts, stopping at the first without a 5xx).
    const warmUp = await openAccount();
    for (let burst = 0; burst < 3; burst++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => api('POST', `/accounts/${warmUp}/deposits`, { amount: 1 })));
      if (answers.every((r) => r.status < 500)) break;
    }
    const accountId = await openAccount();
    const key = uniqueId('key');

    const responses = await Promise.all(Array.from({ length: 20 }, () => depositWithKey(accountId, 250, key)));
    const after = await depositWithKey(accountId, 250, key);

    const applied = responses.filter((r) => r.status === 201 && !replayed(r));
    const replays = responses.filter((r) => r.status === 201 && replayed(r));
    const inProgress = responses.filter((r) => r.status === 409);
    // An init timeout is a 502 whose handler never ran; anything else must be one of the contract's answers.
    const notRun = responses.filter((r) => r.status === 502);
    const tally = responses.map((r) => `${r.status}${replayed(r) ? ' replayed' : ''}${r.status >= 400 ? ` ${r.body?.error ?? r.body?.message}` : ''}`);
    expect({ applied: applied.length, others: tally.filter((t) => !/^201$|^201 replayed$|request_in_progress|^502 /.test(t)) }).toEqual({ applied: 1, others: [] });
    expect(replays.length + inProgress.length + notRun.length).toBe(19);
    for (const r of replays) expect(r.body).toEqual(applied[0].body);
    for (const r of inProgress) expect(r.body.error).toBe('request_in_progress');
    expect([after.status, replayed(after), after.body]).toEqual([201, true, applied[0].body]);
    const events = await storedEvents(accountId);
    expect(events.filter((e) => e.type === 'sluice.account.deposited.v2')).toHaveLength(1);
    expect((await readModelAt(accountId, 2)).body).toMatchObject({ balance: 250, version: 2 });
    console.log(
      `20 concurrent: ${applied.length} applied, ${replays.length} replayed 201, ${inProgress.length} 409 request_in_progress, ${notRun.length} 502 (init timeout, handler never ran); balance 250; events ${events.length}`,
    );
  });

  it('refuses the same key with another body (422) and a malformed key (400), applying neither', async () => {
    const accountId = await openAccount();
    const key = uniqueId('key');
    await depositWithKey(accountId, 100, key);

    const reused = await depositWithKey(accountId, 101, key);
    const malformed = await depositWithKey(accountId, 100, 'x'.repeat(256));

    expect([reused.status, reused.body.error]).toEqual([422, 'idempotency_key_reused']);
    expect([malformed.status, malformed.body.error]).toEqual([400, 'validation_failed']);
    expect(await storedEvents(accountId)).toHaveLength(2);
  });

  it('opens one account for a repeated POST /accounts without an accountId', async () => {
    const key = uniqueId('key');

    const first = await api('POST', '/accounts', { owner: 'Grace', currency: 'USD' }, { 'Idempotency-Key': key });
    const second = await api('POST', '/accounts', { owner: 'Grace', currency: 'USD' }, { 'Idempotency-Key': key });

    expect(first.status).toBe(201);
    expect([second.status, replayed(second), second.body.accountId]).toEqual([201, true, first.body.accountId]);
  });
});
