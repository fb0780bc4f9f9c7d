import { AccountAlreadyExistsError, AccountNotFoundError, accountIdSchema, InsufficientFundsError, StaleVersionError } from '../lambdas/domain/accounts';
import { MAX_BODY_BYTES } from '../lambdas/ingest/ingest-request';
import { transactionsQuery } from '../lambdas/query/request-schemas';
import { type SluiceError, ValidationError } from '../lambdas/shared/errors';
import { VersionConflictError } from '../lambdas/shared/event-store/errors';
import { DEFAULT_MAX_BODY_BYTES, InvalidJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../lambdas/shared/http';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../lambdas/shared/http/idempotency';
import type * as z from '../lambdas/shared/zod';
import { AMOUNT_COMMAND, DEPOSIT_COMMAND, OPEN_ACCOUNT, POST_EVENTS, type RequestModel } from './api-models';
import { balanceResponse, ingestResponse, movedResponse, openedResponse, transactionsResponse } from './api-responses';

/** The functions behind the API, by the part they play. */
export type ApiFunction = 'ingest' | 'command' | 'query';

/** One route of the HTTP API (DESIGN.md's table), from which the gateway's methods and the OpenAPI document are built. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** Resource path with `{param}` placeholders, e.g. `/accounts/{id}/deposits`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly function: ApiFunction;
  /** The JSON body, checked by API Gateway against the model generated from it, then by the function. */
  readonly body?: RequestModel;
  /** Schemas of the `{param}`s of `path`; the gateway requires each, the function checks the schema. */
  readonly pathParameters?: Readonly<Record<string, z.core.$ZodType>>;
  /** The query string; the gateway lets each key through, the function checks the schema. */
  readonly query?: z.ZodMiniObject;
  /** Whether the route takes an `Idempotency-Key` header (DESIGN.md, "Idempotent commands"). */
  readonly idempotent?: boolean;
  readonly success: { readonly status: 200 | 201 | 202; readonly description: string; readonly schema: z.core.$ZodType };
  /**
   * One example of each error the function can answer with: its class carries the status and code,
   * `errorResponse` renders the body, so the documented responses are the answered ones.
   */
  readonly errors: readonly SluiceError[];
}

/** Errors of every route that reads a JSON body of at most `maxBytes`. */
function bodyErrors(maxBytes: number): SluiceError[] {
  return [
    new ValidationError('the request body is invalid', [{ field: 'amount', message: 'must be greater than 0' }]),
    new InvalidJsonError('the request body is not valid JSON: Unexpected end of JSON input; send a JSON object'),
    new PayloadTooLargeError(`the request body is ${maxBytes + 1} bytes; this route accepts at most ${maxBytes} bytes`, maxBytes + 1, maxBytes),
    new UnsupportedMediaTypeError('text/plain'),
  ];
}

/** Errors of the idempotent command routes (a repeated `Idempotency-Key`). */
const IDEMPOTENCY_ERRORS = [new IdempotencyKeyReusedError('POST /accounts/a1/deposits'), new RequestInProgressError('POST /accounts/a1/deposits')];

/** Errors of a command on an existing account. */
const MONEY_ERRORS = [new AccountNotFoundError('a1'), new StaleVersionError('a1', 3, 4), new VersionConflictError('account#a1', 3)];

const accountPath = { id: accountIdSchema };

/** The routes of the HTTP API. lib/ingestion-api.ts builds the gateway from them, lib/openapi.ts the document. */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/events',
    operationId: 'postEvents',
    function: 'ingest',
    summary: 'Publish catalogued telemetry events (one, or {"events": [...]} with 1 to 500) to the events stream',
    body: POST_EVENTS,
    success: {
      status: 202,
      description: 'Published: the ids of the accepted events, and each event the stream refused after retries (resend just those, with the same id)',
      schema: ingestResponse,
    },
    errors: bodyErrors(MAX_BODY_BYTES),
  },
  {
    method: 'POST',
    path: '/accounts',
    operationId: 'openAccount',
    function: 'command',
    summary: 'Open an account',
    body: OPEN_ACCOUNT,
    idempotent: true,
    success: { status: 201, description: 'Opened', schema: openedResponse },
    errors: [...bodyErrors(DEFAULT_MAX_BODY_BYTES), new AccountAlreadyExistsError('a1'), ...IDEMPOTENCY_ERRORS],
  },
  {
    method: 'POST',
    path: '/accounts/{id}/deposits',
    operationId: 'deposit',
    function: 'command',
    summary: 'Deposit into an account',
    body: DEPOSIT_COMMAND,
    pathParameters: accountPath,
    idempotent: true,
    success: { status: 201, description: "Deposited: the account's new version and balance", schema: movedResponse },
    errors: [...bodyErrors(DEFAULT_MAX_BODY_BYTES), ...MONEY_ERRORS, ...IDEMPOTENCY_ERRORS],
  },
  {
    method: 'POST',
    path: '/accounts/{id}/withdrawals',
    operationId: 'withdraw',
    function: 'command',
    summary: 'Withdraw from an account (no overdraft)',
    body: AMOUNT_COMMAND,
    pathParameters: accountPath,
    idempotent: true,
    success: { status: 201, description: "Withdrawn: the account's new version and balance", schema: movedResponse },
    errors: [...bodyErrors(DEFAULT_MAX_BODY_BYTES), ...MONEY_ERRORS, new InsufficientFundsError('a1', 50, 80), ...IDEMPOTENCY_ERRORS],
  },
  {
    method: 'GET',
    path: '/accounts/{id}',
    operationId: 'getAccount',
    function: 'query',
    summary: 'Read an account from the read model',
    pathParameters: accountPath,
    success: { status: 200, description: 'The account as the read model holds it', schema: balanceResponse },
    errors: [
      new ValidationError('the path parameter id is invalid', [{ field: 'id', message: 'must be 1 to 64 letters, digits, "_" or "-"' }]),
      new AccountNotFoundError('a1'),
    ],
  },
  {
    method: 'GET',
    path: '/accounts/{id}/transactions',
    operationId: 'listTransactions',
    function: 'query',
    summary: "List an account's transactions, oldest first, a page at a time",
    pathParameters: accountPath,
    query: transactionsQuery,
    success: { status: 200, description: 'A page of transactions; pass `cursor` back for the next one (null on the last page)', schema: transactionsResponse },
    errors: [
      new ValidationError('the query string is invalid', [{ field: 'limit', message: 'must be a decimal integer from 1 to 100, e.g. 25' }]),
      new AccountNotFoundError('a1'),
    ],
  },
];
