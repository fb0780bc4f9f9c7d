import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  type AccountCommandResult,
  type AccountServiceDeps,
  accountIdSchema,
  deposit,
  openAccount,
  type PreloadedAccount,
  preloadAccount,
  withdraw,
} from '../domain/accounts';
import { getDynamoDbClient } from '../shared/clients';
import { getDocumentClient } from '../shared/document-client';
import { intEnv, requireEnv } from '../shared/config';
import { COMMAND_ENV } from './environment';
import { DynamoDbEventStore } from '../shared/event-store/dynamodb-event-store';
import { DynamoDbSnapshotStore } from '../shared/event-store/dynamodb-snapshot-store';
import { errorResponse, isClientError, json, matchRoute, parseBody, pathParam, RouteNotFoundError, withTraceparent } from '../shared/http';
import { idempotencyConfig, idempotencyKeyOf, type IdempotentRequest, type IdempotentResponder, idempotentResponder } from '../shared/http/idempotency';
import { claimIdOf, isClaimable, runClaimed } from './claimed-append';
import { newEventId } from '../shared/ids';
import { logger, withObservability } from '../shared/observability';
import { depositBody, moneyBody, openAccountBody } from './request-schemas';
import { tracedEventStore } from '../shared/event-store/traced-event-store';
import { correlationKeys, traceFromHeaders } from '../shared/trace-context';

const ROUTES = ['POST /accounts', 'POST /accounts/{id}/deposits', 'POST /accounts/{id}/withdrawals'] as const;

let deps: AccountServiceDeps | undefined;
let responder: IdempotentResponder | undefined;
const commandIdempotency = idempotencyConfig();

/** Idempotency records on the command idempotency table, built on the first request that carries a key. */
function defaultResponder(): IdempotentResponder {
  responder ??= idempotentResponder(
    new DynamoDBPersistenceLayer({ tableName: requireEnv(COMMAND_ENV.idempotencyTableName), awsSdkV3Client: getDynamoDbClient() }),
    commandIdempotency,
  );
  return responder;
}

/** Dependencies built once per container, from the environment. */
function defaultDeps(): AccountServiceDeps {
  if (deps) return deps;
  const client = getDocumentClient();
  deps = {
    eventStore: new DynamoDbEventStore(client, requireEnv(COMMAND_ENV.eventStoreTableName)),
    snapshotStore: new DynamoDbSnapshotStore(client, requireEnv(COMMAND_ENV.snapshotTableName)),
    snapshotEvery: intEnv(COMMAND_ENV.snapshotEvery, 50),
    clock: () => new Date(),
    newId: newEventId,
  };
  return deps;
}

/**
 * One parsed command: the body as sent (what a repeat must match), the account it decides on when
 * known before it runs, how to run it (on an account load already started, if any), and its
 * answer for an account state.
 */
interface PlannedCommand {
  readonly body: unknown;
  readonly accountId?: string;
  readonly execute: (deps: AccountServiceDeps, preloaded?: PreloadedAccount) => Promise<APIGatewayProxyResult>;
  readonly answer: (account: { accountId: string; version: number; balance: number }) => APIGatewayProxyResult;
}

const opened = (result: { accountId: string; version: number }) => json(201, { accountId: result.accountId, version: result.version });

/** Parses and validates the body first, so a 400 is never stored under an idempotency key. */
function planCommand(route: (typeof ROUTES)[number], accountId: string, event: APIGatewayProxyEvent): PlannedCommand {
  switch (route) {
    case 'POST /accounts': {
      const body = parseBody(event, openAccountBody);
      return { body, accountId: body.accountId, execute: async (deps, preloaded) => opened(logSnapshot(await openAccount(deps, body, preloaded))), answer: opened };
    }
    case 'POST /accounts/{id}/deposits': {
      const body = parseBody(event, depositBody);
      return {
        body,
        accountId,
        execute: async (deps, preloaded) => created(logSnapshot(await deposit(deps, { accountId, ...body, channel: 'api' }, preloaded))),
        answer: created,
      };
    }
    case 'POST /accounts/{id}/withdrawals': {
      const body = parseBody(event, moneyBody);
      return { body, accountId, execute: async (deps, preloaded) => created(logSnapshot(await withdraw(deps, { accountId, ...body }, preloaded))), answer: created };
    }
  }
}

/**
 * Runs a keyed command; its appends carry a claim (see `claimed-append.ts`) when the store
 * supports one. The account is read while the idempotency record is written, not after it: the
 * two round trips overlap (see `PreloadedAccount`).
 */
function executeKeyed(command: PlannedCommand, request: IdempotentRequest, serviceDeps: AccountServiceDeps): () => Promise<APIGatewayProxyResult> {
  const preloaded = command.accountId === undefined ? undefined : preloadAccount(serviceDeps, command.accountId);
  const execute = (deps: AccountServiceDeps) => command.execute(deps, preloaded);
  const { eventStore } = serviceDeps;
  const tableName = process.env[COMMAND_ENV.idempotencyTableName];
  if (!tableName || !isClaimable(eventStore)) return () => execute(serviceDeps);
  return () => runClaimed({ ...serviceDeps, eventStore }, { tableName, id: claimIdOf(request) }, execute, command.answer);
}

/**
 * The command API: open an account, deposit, withdraw (API Gateway REST proxy events).
 *
 * With an `Idempotency-Key` header the command runs through `respondOnce` (see
 * `lambdas/shared/http/idempotency.ts`): a repeat gets the first response.
 *
 * The request's `traceparent` header (or a new trace when it has none or an invalid one) is
 * stored with every event it appends, is in every log line, and is answered in the `traceparent`
 * response header.
 *
 * @example
 * await handleCommand(apiEvent('POST', '/accounts', { owner: 'Ada', currency: 'EUR' }), fakeDeps)
 * // 201 {"accountId":"01J…","version":1}
 */
export async function handleCommand(
  event: APIGatewayProxyEvent,
  serviceDeps: AccountServiceDeps = defaultDeps(),
  respondOnce: () => IdempotentResponder = defaultResponder,
): Promise<APIGatewayProxyResult> {
  const { traceparent } = traceFromHeaders(event.headers);
  logger.appendKeys(correlationKeys(traceparent));
  const eventStore = tracedEventStore(serviceDeps.eventStore, traceparent, (events) => logger.appendKeys(correlationKeys(traceparent, events[0]?.eventId)));
  const response = await runCommand(event, { ...serviceDeps, eventStore }, respondOnce);
  if (response.statusCode < 300) logger.info('command applied', { statusCode: response.statusCode });
  return withTraceparent(response, traceparent);
}

async function runCommand(event: APIGatewayProxyEvent, serviceDeps: AccountServiceDeps, respondOnce: () => IdempotentResponder): Promise<APIGatewayProxyResult> {
  try {
    const match = matchRoute(event, ROUTES);
    if (!match) throw new RouteNotFoundError(event.httpMethod, event.path);
    const accountId = match.params.id === undefined ? undefined : pathParam(match.params, 'id', accountIdSchema);
    const key = idempotencyKeyOf(event);
    const command = planCommand(match.route, accountId ?? '', event);
    if (key === undefined) return await command.execute(serviceDeps);
    const scope = accountId === undefined ? match.route : match.route.replace('{id}', accountId);
    const request = { scope, key, body: command.body };
    return await respondOnce()(request, executeKeyed(command, request, serviceDeps));
  } catch (error) {
    if (isClientError(error)) logger.info('command refused', { error: error as Error });
    else logger.error('command failed', { error: error as Error });
    return errorResponse(error);
  }
}

function created(result: Pick<AccountCommandResult, 'accountId' | 'version' | 'balance'>): APIGatewayProxyResult {
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
export const handler = withObservability((event: APIGatewayProxyEvent, context: Context) => {
  commandIdempotency.registerLambdaContext(context);
  return handleCommand(event);
});
