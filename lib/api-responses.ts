import { accountIdSchema, accountStateChangedV1Schema, amountSchema } from '../lambdas/domain/accounts';
import type { AccountCommandResult, BalanceRow, TransactionRow } from '../lambdas/domain/accounts';
import type { IngestResponseBody } from '../lambdas/ingest/handler';
import type { ErrorBody } from '../lambdas/shared/http';
import * as z from '../lambdas/shared/zod';

/**
 * The bodies the HTTP API answers with, as zod schemas for the OpenAPI document (lib/openapi.ts).
 *
 * The functions build these bodies from their own types; the `Same` checks at the end make the
 * type-check fail when a handler's type and its schema here part ways, so the document cannot
 * describe a body the API no longer sends.
 */

const version = z.int().check(z.positive());
const nonNegative = z.int().check(z.nonnegative());

/** `202` of `POST /events`: the published events' ids, and each event that was not published. */
export const ingestResponse = z.object({
  accepted: z.array(z.object({ id: z.string() })),
  failed: z.array(z.object({ index: nonNegative, error: z.string(), message: z.string() })),
});

/** `201` of `POST /accounts`. */
export const openedResponse = z.object({ accountId: accountIdSchema, version });

/** `201` of a deposit or a withdrawal: the account's new version and balance. */
export const movedResponse = z.object({ accountId: accountIdSchema, version, balance: nonNegative });

/** `200` of `GET /accounts/{id}`: the read model's balance row, the account's full state. */
export const balanceResponse = accountStateChangedV1Schema;

/** One transaction of `GET /accounts/{id}/transactions`. */
export const transactionResponse = z.object({
  accountId: accountIdSchema,
  version,
  eventId: z.string(),
  kind: z.enum(['opened', 'deposit', 'withdrawal']),
  amount: z.union([z.literal(0), amountSchema]),
  balanceAfter: nonNegative,
  time: z.iso.datetime({ offset: true }),
});

/** `200` of `GET /accounts/{id}/transactions`: a page, oldest first; `cursor` is null on the last page. */
export const transactionsResponse = z.object({ items: z.array(transactionResponse), cursor: z.nullable(z.string()) });

/** Every 4xx/5xx body, with the codes one status can carry. */
export function errorBody(codes: readonly [string, ...string[]]) {
  return z.object({
    error: z.enum(codes),
    message: z.string(),
    details: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
  });
}

/** `true` when A and B are the same type up to `readonly` (not just assignable: an extra optional field counts). */
type Same<A, B> = (<T>() => T extends Mutable<A> ? 1 : 2) extends <T>() => T extends Mutable<B> ? 1 : 2 ? true : false;
type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

// Compile-time only: each line fails the type-check when a handler's body and its schema disagree.
const bodiesMatchHandlers: [
  Same<z.output<typeof ingestResponse>, IngestResponseBody>,
  Same<z.output<typeof openedResponse>, Pick<AccountCommandResult, 'accountId' | 'version'>>,
  Same<z.output<typeof movedResponse>, Pick<AccountCommandResult, 'accountId' | 'version' | 'balance'>>,
  Same<z.output<typeof balanceResponse>, BalanceRow>,
  Same<z.output<typeof transactionResponse>, TransactionRow>,
  Same<Omit<z.output<ReturnType<typeof errorBody>>, 'error'>, Omit<ErrorBody, 'error'>>,
] = [true, true, true, true, true, true];
void bodiesMatchHandlers;
