import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { encodeCursor } from '../../../lambdas/query/cursor';
import { type AccountQueries, handleQuery } from '../../../lambdas/query/handler';
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

/** The in-memory read model plus paging with the DynamoDB adapter's contract (ascending version). */
class QueryableReadModel extends InMemoryReadModel implements AccountQueries {
  public async listTransactions(accountId: string, options: { limit: number; startAfter?: Record<string, unknown> }) {
    const after = Number(options.startAfter?.version ?? 0);
    const rows = this.transactions.filter((row) => row.accountId === accountId && row.version > after);
    const items: TransactionRow[] = rows.slice(0, options.limit);
    const last = items.at(-1);
    return rows.length > options.limit && last ? { items, lastKey: { accountId, version: last.version } } : { items };
  }
}

async function setup() {
  const readModel = new QueryableReadModel();
  const account = history('a1').opened('Ada', 'EUR').deposit(100).deposit(50).withdraw(30);
  const deps = { readModel, eventStore: new InMemoryEventStore() };
  deps.eventStore.seed(account.stored());
  for (const event of account.events) await projectToReadModel(deps, event);
  return readModel;
}

const get = (resource: string, query?: Record<string, string>, id = 'a1') => apiEvent('GET', resource, { id }, undefined, query);

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
