import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from '../zod';
import { SluiceError, ValidationError } from '../errors';
import { errorResponse, isClientError } from './error-responses';

/** The request header a client names its retry-safe request by. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** The response header that marks a stored response returned again. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key is remembered: a repeat within it is answered from the store (DESIGN.md: 24 h). */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * The `Idempotency-Key` header: 1–255 printable ASCII characters (space to tilde), as DESIGN.md's
 * "Idempotent commands" says. lib/openapi.ts documents the header from this schema.
 */
export const idempotencyKeySchema = z.string().check(z.regex(/^[\x20-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters'));

/** The same key came back with a different body: a client bug, never applied. HTTP 422. */
export class IdempotencyKeyReusedError extends SluiceError {
  public constructor(scope: string, options?: ErrorOptions) {
    super(
      'idempotency_key_reused',
      `this Idempotency-Key was already used for ${scope} with a different body; send the same body to retry, or a new key for a new request`,
      { ...options, httpStatus: 422 },
    );
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** The first request with this key is still running. HTTP 409: retry a moment later to get its response. */
export class RequestInProgressError extends SluiceError {
  public constructor(scope: string, options?: ErrorOptions) {
    super('request_in_progress', `a request with this Idempotency-Key for ${scope} is still running; retry in a moment to get its response`, {
      ...options,
      httpStatus: 409,
    });
    this.name = 'RequestInProgressError';
  }
}

/**
 * The `Idempotency-Key` header of a request (header names are case-insensitive), or `undefined`.
 *
 * @throws {ValidationError} (400) when it is empty, longer than 255 characters or not printable ASCII.
 */
export function idempotencyKeyOf(event: Pick<APIGatewayProxyEvent, 'headers'>): string | undefined {
  const name = IDEMPOTENCY_KEY_HEADER.toLowerCase();
  const entry = Object.entries(event.headers ?? {}).find(([header]) => header.toLowerCase() === name);
  if (!entry || entry[1] === undefined) return undefined;
  const key = entry[1];
  if (!idempotencyKeySchema.safeParse(key).success) {
    const shown = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
    throw new ValidationError(
      `the ${IDEMPOTENCY_KEY_HEADER} header must be 1 to 255 printable ASCII characters (got ${shown}, ${key.length} characters); a UUID works`,
      [{ field: `headers.${IDEMPOTENCY_KEY_HEADER}`, message: 'must be 1 to 255 printable ASCII characters' }],
    );
  }
  return key;
}

/** What identifies a request: where it went (route and account) and the client's key; `body` must match on a repeat. */
export interface IdempotentRequest {
  /** The route with its account, e.g. `POST /accounts/a1/deposits`: keys are scoped to it. */
  readonly scope: string;
  readonly key: string;
  /** The parsed body; a repeat must carry the same JSON value (key order does not matter). */
  readonly body: unknown;
}

/** Runs a request at most once per key; see {@link idempotentResponder}. */
export type IdempotentResponder = (request: IdempotentRequest, execute: () => Promise<APIGatewayProxyResult>) => Promise<APIGatewayProxyResult>;

/**
 * Whether an error's response is the request's outcome, stored and replayed: a decision the
 * domain made (404, 409 exists, 422 insufficient funds). A version conflict is not stored: it
 * means another write raced this one, and a retry should decide again. 5xx are never stored.
 */
function isStoredOutcome(error: unknown): boolean {
  return isClientError(error) && !(error instanceof SluiceError && error.code === 'version_conflict');
}

/**
 * Makes command requests idempotent with Powertools idempotency (`makeIdempotent`).
 *
 * The record key is a hash of `[scope, key]` (so a key is scoped to the route and the account);
 * `payloadValidationJmesPath: 'body'` stores a hash of the body, so the same key with another body
 * is {@link IdempotencyKeyReusedError}; a record still in progress (its conditional put lost the
 * race) is {@link RequestInProgressError}. The whole HTTP response (status, headers, body) is the
 * stored result, and the `responseHook` — called only when a stored result is returned — adds
 * `idempotent-replayed: true`. Exactly one of several concurrent repeats applies: the first
 * `PutItem` with `attribute_not_exists(id)` wins. A thrown error (5xx, version conflict) deletes the
 * in-progress record, so the client can retry.
 *
 * @param config registers the Lambda context (`registerLambdaContext`) so an in-progress record
 *   expires with the invocation that wrote it, instead of blocking its key for the whole window.
 * @example
 * const respond = idempotentResponder(new DynamoDBPersistenceLayer({ tableName }), config);
 * return respond({ scope: 'POST /accounts/a1/deposits', key, body }, () => run());
 */
export function idempotentResponder(persistenceStore: BasePersistenceLayer, config: IdempotencyConfig = idempotencyConfig()): IdempotentResponder {
  return async (request, execute) => {
    const run = makeIdempotent(
      async (_request: IdempotentRequest) => {
        try {
          return await execute();
        } catch (error) {
          if (isStoredOutcome(error)) return errorResponse(error);
          throw error;
        }
      },
      { persistenceStore, config },
    );
    try {
      return await run(request);
    } catch (error) {
      if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError(request.scope, { cause: error });
      if (error instanceof IdempotencyAlreadyInProgressError) throw new RequestInProgressError(request.scope, { cause: error });
      throw error;
    }
  };
}

/** The command functions' idempotency settings (one per container; the handler registers its context). */
export function idempotencyConfig(): IdempotencyConfig {
  return new IdempotencyConfig({
    eventKeyJmesPath: '[scope, key]',
    payloadValidationJmesPath: 'body',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
    responseHook: (response) => {
      const stored = response as Record<string, unknown>;
      const headers = typeof stored.headers === 'object' && stored.headers !== null ? stored.headers : {};
      return { ...stored, headers: { ...headers, [REPLAYED_HEADER]: 'true' } } as typeof response;
    },
  });
}
