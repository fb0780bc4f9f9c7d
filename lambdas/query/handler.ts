import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AccountNotFoundError, accountIdSchema } from '../domain/accounts';
import { getDocumentClient } from '../shared/document-client';
import { requireEnv } from '../shared/config';
import { QUERY_ENV } from './environment';
import { zodIssues } from '../shared/envelope';
import { ValidationError } from '../shared/errors';
import { errorResponse, isClientError, json, matchRoute, pathParam, RouteNotFoundError } from '../shared/http';
import { logger, withObservability } from '../shared/observability';
import { DynamoDbAccountReadModel } from '../adapters/accounts/dynamodb-account-read-model';
import { decodeCursor, encodeCursor } from './cursor';
import { cursorKey } from './cursor-key';
import { TRANSACTIONS_PAGE, transactionsQuery } from './request-schemas';

const ROUTES = ['GET /accounts/{id}', 'GET /accounts/{id}/transactions'] as const;

/** The read side the query function needs (the DynamoDB read model, or a fake in tests). */
export type AccountQueries = Pick<DynamoDbAccountReadModel, 'getBalance' | 'listTransactions'>;

let readModel: AccountQueries | undefined;

/** The read model, built once per container from the environment. */
function defaultReadModel(): AccountQueries {
  readModel ??= new DynamoDbAccountReadModel(getDocumentClient(), {
    balances: requireEnv(QUERY_ENV.balancesTableName),
    transactions: requireEnv(QUERY_ENV.transactionsTableName),
  });
  return readModel;
}

/**
 * The query API over the CQRS read model: an account's balance row and its transactions.
 *
 * Transactions are listed oldest first (ascending version), `limit` 1..100 (default 25); `cursor`
 * is the opaque value of the previous page, `null` on the last page. Only those at or below the
 * balance row's version are listed, so the two answers always agree.
 *
 * @example
 * await handleQuery(apiEvent('GET', '/accounts/a1/transactions', undefined, { limit: '10' }), fakeReadModel)
 * // 200 {"items":[…],"cursor":"eyJ…"}
 */
export async function handleQuery(
  event: APIGatewayProxyEvent,
  queries: AccountQueries = defaultReadModel(),
  /** The cursor signing key; default {@link cursorKey} (Secrets Manager on AWS, `CURSOR_KEY` locally). */
  cursorSigningKey?: string,
): Promise<APIGatewayProxyResult> {
  try {
    const match = matchRoute(event, ROUTES);
    if (!match) throw new RouteNotFoundError(event.httpMethod, event.path);
    const accountId = pathParam(match.params, 'id', accountIdSchema);
    if (match.route === 'GET /accounts/{id}') return json(200, await requireBalance(queries, accountId));

    const query = transactionsQuery.safeParse(event.queryStringParameters ?? {});
    if (!query.success) throw new ValidationError('the query string is invalid', zodIssues(query.error));
    const limit = query.data.limit === undefined ? TRANSACTIONS_PAGE.default : Number(query.data.limit);
    const { cursor } = query.data;
    const key = cursorSigningKey ?? (await cursorKey());
    const startAfter = cursor === undefined ? undefined : decodeCursor(cursor, accountId, key);
    // Only the transactions the balance row includes: the projector writes a batch's rows before it moves the row.
    const { version } = await requireBalance(queries, accountId);
    const page = await queries.listTransactions(accountId, { limit, upToVersion: version, ...(startAfter ? { startAfter: { ...startAfter } } : {}) });
    const next = page.lastKey ? encodeCursor({ accountId, version: Number(page.lastKey.version) }, key) : null;
    return json(200, { items: page.items, cursor: next });
  } catch (error) {
    if (!isClientError(error)) logger.error('query failed', { error: error as Error });
    return errorResponse(error);
  }
}

/** @throws {AccountNotFoundError} when the read model has no such account. */
async function requireBalance(queries: AccountQueries, accountId: string) {
  const balance = await queries.getBalance(accountId);
  if (!balance) throw new AccountNotFoundError(accountId);
  return balance;
}

/** Lambda entry point. */
export const handler = withObservability((event: APIGatewayProxyEvent) => handleQuery(event));
