import type { AccountServiceDeps } from '../../../lambdas/domain/accounts';
import { handleCommand } from '../../../lambdas/command/handler';
import { logger } from '../../../lambdas/shared/observability';
import { history, sequentialIds, steppingClock } from '../../helpers/account-events';
import { apiEvent, bodyOf } from '../../helpers/api-gateway-events';
import { InMemoryEventStore, InMemorySnapshotStore } from '../../helpers/in-memory-event-store';

logger.setLogLevel('SILENT');

function setup() {
  const eventStore = new InMemoryEventStore();
  const deps: AccountServiceDeps = { eventStore, snapshotStore: new InMemorySnapshotStore(), clock: steppingClock(), newId: sequentialIds(), snapshotEvery: 0 };
  eventStore.seed(history('a1').opened().deposit(100).stored());
  return { deps, eventStore };
}

const post = (resource: string, body: unknown, id?: string, contentType = 'application/json') => ({
  ...apiEvent('POST', resource, id === undefined ? {} : { id }, body),
  headers: { 'Content-Type': contentType },
});

describe('command input rules', () => {
  it('answers 415 for a text/plain body with an extra field, and opens no account', async () => {
    const { deps, eventStore } = setup();

    const response = await handleCommand(post('/accounts', { accountId: 'x1', owner: 'Eve', currency: 'EUR', admin: true }, undefined, 'text/plain'), deps);

    expect(response.statusCode).toBe(415);
    expect(bodyOf(response).error).toBe('unsupported_media_type');
    expect(eventStore.stream('x1')).toEqual([]);
  });

  it.each([
    ['/accounts', { owner: 'Ada', currency: 'EUR', admin: true }, undefined],
    ['/accounts/{id}/deposits', { amount: 5, expectedVersoin: 1 }, 'a1'],
    ['/accounts/{id}/withdrawals', { amount: 5, reference: 'withdrawals take no reference' }, 'a1'],
  ])('refuses an unknown field on %s with 400', async (resource, body, id) => {
    const { deps } = setup();
    const response = await handleCommand(post(resource, body, id), deps);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: 'validation_failed',
      details: [expect.objectContaining({ message: expect.stringMatching(/unrecognized key/i) })],
    });
  });

  it.each([['Ada\u0000'], ['Ada\u202Egnp.exe'], ['\u2066Ada\u2069'], ['Ada\r\nX-Injected: 1']])('refuses the owner %j', async (owner) => {
    const { deps } = setup();
    const response = await handleCommand(post('/accounts', { owner, currency: 'EUR' }), deps);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).details).toEqual([expect.objectContaining({ field: 'owner' })]);
  });

  it('refuses a deposit reference with control characters', async () => {
    const { deps } = setup();
    const response = await handleCommand(post('/accounts/{id}/deposits', { amount: 5, reference: 'inv\u00071' }, 'a1'), deps);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).details).toEqual([expect.objectContaining({ field: 'reference' })]);
  });

  it.each([['x'.repeat(2100)], ['a b'], ['a.b'], ['é'], ['a\u0000']])('answers 400 naming id for the path id %#, before touching the store', async (id) => {
    const { deps } = setup();
    for (const resource of ['/accounts/{id}/deposits', '/accounts/{id}/withdrawals']) {
      const response = await handleCommand(post(resource, { amount: 5 }, id), deps);
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).details).toEqual([expect.objectContaining({ field: 'id' })]);
    }
  });
});

describe('command body size', () => {
  it('answers 413 for a valid body padded past 64 KiB, before parsing it', async () => {
    const { deps } = setup();
    const body = `{"amount": 5}${' '.repeat(70 * 1024)}`;

    const response = await handleCommand(post('/accounts/{id}/deposits', body, 'a1'), deps);

    expect(response.statusCode).toBe(413);
    expect(bodyOf(response)).toEqual({ error: 'payload_too_large', message: expect.stringContaining('at most 65536 bytes') });
  });
});
