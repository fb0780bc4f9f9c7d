import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type AccountCommandResult, type AccountServiceDeps, accountIdSchema, deposit, openAccount, withdraw } from '../domain/accounts';
import { getDocumentClient } from '../shared/clients';
import { intEnv, requireEnv } from '../shared/config';
import { DynamoDbEventStore } from '../shared/event-store/dynamodb-event-store';
import { DynamoDbSnapshotStore } from '../shared/event-store/dynamodb-snapshot-store';
import { errorResponse, isClientError, json, matchRoute, parseBody, pathParam, RouteNotFoundError } from '../shared/http';
import { newEventId } from '../shared/ids';
import { logger, withObservability } from '../shared/observability';
import { depositBody, moneyBody, openAccountBody } from './request-schemas';

const ROUTES = ['POST /accounts', 'POST /accounts/{id}/deposits', 'POST /accounts/{id}/withdrawals'] as const;

let deps: AccountServiceDeps | undefined;

/** Dependencies built once per container, from the environment. */
function defaultDeps(): AccountServiceDeps {
  if (deps) return deps;
  const client = getDocumentClient();
  deps = {
    eventStore: new DynamoDbEventStore(client, requireEnv('EVENT_STORE_TABLE_NAME')),
    snapshotStore: new DynamoDbSnapshotStore(client, requireEnv('SNAPSHOT_TABLE_NAME')),
    snapshotEvery: intEnv('SNAPSHOT_EVERY', 50),
    clock: () => new Date(),
    newId: newEventId,
  };
  return deps;
}

/**
 * The command API: open an account, deposit, withdraw (API Gateway REST proxy events).
 *
 * @example
 * await handleCommand(apiEvent('POST', '/accounts', { owner: 'Ada', currency: 'EUR' }), fakeDeps)
 * // 201 {"accountId":"01J…","version":1}
 */
export async function handleCommand(event: APIGatewayProxyEvent, serviceDeps: AccountServiceDeps = defaultDeps()): Promise<APIGatewayProxyResult> {
  try {
    const match = matchRoute(event, ROUTES);
    if (!match) throw new RouteNotFoundError(event.httpMethod, event.path);
    switch (match.route) {
      case 'POST /accounts': {
        const result = logSnapshot(await openAccount(serviceDeps, parseBody(event, openAccountBody)));
        return json(201, { accountId: result.accountId, version: result.version });
      }
      case 'POST /accounts/{id}/deposits': {
        const accountId = pathParam(match.params, 'id', accountIdSchema);
        return created(logSnapshot(await deposit(serviceDeps, { accountId, ...parseBody(event, depositBody), channel: 'api' })));
      }
      case 'POST /accounts/{id}/withdrawals': {
        const accountId = pathParam(match.params, 'id', accountIdSchema);
        return created(logSnapshot(await withdraw(serviceDeps, { accountId, ...parseBody(event, moneyBody) })));
      }
    }
  } catch (error) {
    if (isClientError(error)) logger.info('command refused', { error: error as Error });
    else logger.error('command failed', { error: error as Error });
    return errorResponse(error);
  }
}

function created(result: AccountCommandResult): APIGatewayProxyResult {
  return json(201, { accountId: result.accountId, version: result.version, balance: result.balance });
}

/** A failed snapshot never fails the command (it is only an optimisation), but it is worth a warning. */
function logSnapshot(result: AccountCommandResult): AccountCommandResult {
  if (result.snapshot.status === 'failed') {
    logger.warn('snapshot not saved; loads fold more events until the next one', {
      accountId: result.accountId,
      version: result.version,
      error: result.snapshot.error as Error,
    });
  }
  return result;
}

/** Lambda entry point. */
export const handler = withObservability((event: APIGatewayProxyEvent) => handleCommand(event));
