import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { encodeCursor } from '../../../lambdas/query/cursor';
import { handleQuery } from '../../../lambdas/query/handler';
import { logger } from '../../../lambdas/shared/observability';
import type { TransactionRow } from '../../../lambdas/domain/accounts';
import { apiEvent, bodyOf } from '../../helpers/api-gateway-events';
import { history } from '../../helpers/account-events';
import { InMemoryReadModel } from '../../helpers/in-memory-read-model';
import { projectToReadModel } from '../../../lambdas/domain/accounts/read-model-projector';
import { InMemoryEventStore } from '../../helpers/in-memory-event-store';
import { fakeSecretsManager } from '../../helpers/fake-secrets-manager';

logger.setLogLevel('SILENT');

const KEY = 'test-cursor-key';

/** Account a1 with `deposits` deposits after its opening (default: 100, 50, then a withdrawal of 30). */
async function setup(deposits?: number) {
  const readModel = new InMemoryReadModel();
  const account = history('a1').opened('Ada', 'EUR');
  if (deposits === undefined) account.deposit(100).deposit(50).withdraw(30);
  else for (let n = 1; n <= deposits; n += 1) account.deposit(n);
  const deps = { readModel, eventStore: new InMemoryEventStore() };
  deps.eventStore.seed(account.stored());
  for (const event of account.events) await projectToReadModel(deps, event);
  return readModel;
}

const get = (resource: string, query?: Record<string, string>, id = 'a1') => apiEvent('GET', resource, { id }, undefined, query);

/** Follows the cursor from the first page until it is null; fails after 20 pages rather than loop for ever. */
async function allPages(readModel: InMemoryReadModel, limit: number) {
  const pages = [];
  let cursor: string | undefined;
  do {
    if (pages.length === 20) throw new Error(`still handing out cursors after 20 pages of ${limit}: ${JSON.stringify(pages.map((page) => page.cursor))}`);
    const response = await handleQuery(get('/accounts/{id}/transactions', { limit: String(limit), ...(cursor ? { cursor } : {}) }), readModel, KEY);
    expect(response.statusCode).toBe(200);
    pages.push(bodyOf(response));
    cursor = pages.at(-1).cursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

describe('query handler', () => {
  it('returns the balance row', async () => {
    const response = await handleQuery(get('/accounts/{id}'), await setup(), KEY);

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({ accountId: 'a1', owner: 'Ada', currency: 'EUR', balance: 120, version: 4 });
  });

  it('answers 404 for an unknown account, on both routes', async () => {
    const readModel = await setup();

    expect((await handleQuery(get('/accounts/{id}', undefined, 'ghost'), readModel, KEY)).statusCode).toBe(404);
    expect(bodyOf(await handleQuery(get('/accounts/{id}/transactions', undefined, 'ghost'), readModel, KEY)).error).toBe('account_not_found');
  });

  it('pages through the transactions with an opaque cursor', async () => {
    const readModel = await setup();

    const first = bodyOf(await handleQuery(get('/accounts/{id}/transactions', { limit: '3' }), readModel, KEY));
    const second = bodyOf(await handleQuery(get('/accounts/{id}/transactions', { limit: '3', cursor: first.cursor }), readModel, KEY));

    expect(first.items.map((row: TransactionRow) => row.kind)).toEqual(['opened', 'deposit', 'deposit']);
    expect(first.cursor).toBe(encodeCursor({ accountId: 'a1', version: 3 }, KEY));
    expect(second).toEqual({ items: [expect.objectContaining({ kind: 'withdrawal', amount: 30, balanceAfter: 120 })], cursor: null });
  });

  it("lists no transaction above the balance row's version: one the projector wrote before a balance put that failed", async () => {
    const readModel = await setup(); // balance row at version 4
    const ahead = {
      accountId: 'a1',
      version: 5,
      eventId: '01J0000000000000000000000X',
      kind: 'deposit',
      amount: 7,
      balanceAfter: 127,
      time: '2025-01-01T00:00:00.000Z',
    } as const;
    await readModel.putTransactions([ahead]);

    const body = bodyOf(await handleQuery(get('/accounts/{id}/transactions', { limit: '100' }), readModel, KEY));

    expect(body.items.map((row: TransactionRow) => row.version)).toEqual([1, 2, 3, 4]);
  });

  it('ends with an empty page and no cursor when the page before was full, as DynamoDB pages', async () => {
    const readModel = await setup(3); // 4 transactions

    const pages = await allPages(readModel, 2);

    // DynamoDB returns a LastEvaluatedKey whenever Limit items were read, even with none left.
    expect(pages.map((page) => [page.items.map((row: TransactionRow) => row.version), page.cursor === null])).toEqual([
      [[1, 2], false],
      [[3, 4], false],
      [[], true],
    ]);
  });

  it.each([1, 2, 3, 4, 5, 7, 100])('lists every transaction once, in order, and stops, with limit %i', async (limit) => {
    const readModel = await setup(6); // 7 transactions

    const pages = await allPages(readModel, limit);

    expect(pages.flatMap((page) => page.items.map((row: TransactionRow) => row.version))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pages.length).toBeLessThanOrEqual(Math.floor(7 / limit) + 1);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ limit: '0x10' }, 'limit'],
    [{ limit: '1e1' }, 'limit'],
    [{ limit: ' 7' }, 'limit'],
    [{ limit: '+5' }, 'limit'],
    [{ limit: '010' }, 'limit'],
    [{ cursor: encodeCursor({ accountId: 'someone-else', version: 1 }, KEY) }, 'cursor'],
    [{ cursor: encodeCursor({ accountId: 'a1', version: 1 }, 'another-key') }, 'cursor'],
    [{ cursor: '3.AAAAAAAAAAAAAAAAAAAAAA' }, 'cursor'],
    [{ sort: 'desc' }, '(root)'],
  ])('answers 400 for the query %j, naming %s', async (query, field) => {
    const response = await handleQuery(get('/accounts/{id}/transactions', query), await setup(), KEY);

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).details).toEqual([expect.objectContaining({ field })]);
  });
});

describe('query handler path ids', () => {
  it.each([['x'.repeat(2100)], ['a b'], ['a/b'], ['ä'], ['a\u202e']])('answers 400 naming id for the account id %#', async (id) => {
    const response = await handleQuery(get('/accounts/{id}/transactions', undefined, id), await setup(), KEY);

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: 'validation_failed', details: [expect.objectContaining({ field: 'id' })] });
  });
});

describe('query handler cursor key', () => {
  it('answers 400 telling the client to start over when its cursor was signed before a key rotation, never a 5xx', async () => {
    const readModel = await setup();
    const first = bodyOf(await handleQuery(get('/accounts/{id}/transactions', { limit: '2' }), readModel, 'key-before-rotation'));

    const response = await handleQuery(get('/accounts/{id}/transactions', { limit: '2', cursor: first.cursor }), readModel, 'key-after-rotation');

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: 'validation_failed',
      message: expect.stringMatching(/signing key is rotated\): request the first page again without cursor$/),
      details: [expect.objectContaining({ field: 'cursor' })],
    });
  });

  describe('read from Secrets Manager when no key is passed', () => {
    const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:CursorKey-abc123';
    let secrets: ReturnType<typeof fakeSecretsManager>;
    beforeEach(() => {
      secrets = fakeSecretsManager('key-from-secrets-manager');
      DEFAULT_PROVIDERS.secrets = new SecretsProvider({ awsSdkV3Client: secrets.client });
      process.env.CURSOR_KEY_SECRET_ARN = ARN;
    });
    afterEach(() => {
      delete DEFAULT_PROVIDERS.secrets;
      delete process.env.CURSOR_KEY_SECRET_ARN;
    });

    it('signs and checks cursors with the secret CURSOR_KEY_SECRET_ARN names', async () => {
      const readModel = await setup();

      const first = bodyOf(await handleQuery(get('/accounts/{id}/transactions', { limit: '3' }), readModel));
      const second = await handleQuery(get('/accounts/{id}/transactions', { limit: '3', cursor: first.cursor }), readModel);

      expect(first.cursor).toBe(encodeCursor({ accountId: 'a1', version: 3 }, 'key-from-secrets-manager'));
      expect(second.statusCode).toBe(200);
      expect(secrets.requests()).toEqual([{ SecretId: ARN }]);
    });
  });
});
