import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from '../shared/zod';
import {
  type AccountCommandResult,
  type AccountServiceDeps,
  accountIdSchema,
  amountSchema,
  currencySchema,
  deposit,
  openAccount,
  ownerSchema,
  referenceSchema,
  withdraw,
} from '../domain/accounts';
import { getDocumentClient } from '../shared/clients';
import { intEnv, requireEnv } from '../shared/config';
import { DynamoDbEventStore } from '../shared/event-store/dynamodb-event-store';
import { DynamoDbSnapshotStore } from '../shared/event-store/dynamodb-snapshot-store';
import { errorResponse, isClientError, json, matchRoute, parseBody, RouteNotFoundError } from '../shared/http';
import { newEventId } from '../shared/ids';
import { logger, withObservability } from '../shared/observability';

const ROUTES = ['POST /accounts', 'POST /accounts/{id}/deposits', 'POST /accounts/{id}/withdrawals'] as const;

// Built from the domain's field schemas so a bad body gets every field error at once, with the same messages.
const openBody = z.object({ accountId: z.optional(accountIdSchema), owner: ownerSchema, currency: currencySchema });
const moneyBody = z.object({
  amount: amountSchema,
  expectedVersion: z.optional(z.int('must be the integer version you last read').check(z.nonnegative('must be 0 or more'))),
});
// Deposits may carry the payer's reference (the API's DepositCommand model admits it).
const depositBody = z.extend(moneyBody, { reference: z.optional(referenceSchema) });

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
    const accountId = match.params.id;
    switch (match.route) {
      case 'POST /accounts': {
        const result = logSnapshot(await openAccount(serviceDeps, parseBody(event, openBody)));
        return json(201, { accountId: result.accountId, version: result.version });
      }
      case 'POST /accounts/{id}/deposits':
        return created(logSnapshot(await deposit(serviceDeps, { accountId, ...parseBody(event, depositBody), channel: 'api' })));
      case 'POST /accounts/{id}/withdrawals':
        return created(logSnapshot(await withdraw(serviceDeps, { accountId, ...parseBody(event, moneyBody) })));
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
