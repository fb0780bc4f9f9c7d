import * as z from '../shared/zod';
import { accountIdSchema, amountSchema, currencySchema, ownerSchema, referenceSchema } from '../domain/accounts';

/**
 * The bodies of the command routes, built from the domain's field schemas so a bad body gets every
 * field error at once, with the same messages. Strict: an unknown field is a 400 (a typo such as
 * `expectedVersoin` must not silently drop the version check). lib/api-models.ts generates the API
 * Gateway models from these very schemas, so the edge and the function cannot drift.
 */
export const openAccountBody = z.strictObject({ accountId: z.optional(accountIdSchema), owner: ownerSchema, currency: currencySchema });

export const moneyBody = z.strictObject({
  amount: amountSchema,
  expectedVersion: z.optional(z.int('must be the integer version you last read').check(z.nonnegative('must be 0 or more'))),
});

/** Deposits may carry the payer's reference (stored in `sluice.account.deposited.v2`). */
export const depositBody = z.extend(moneyBody, { reference: z.optional(referenceSchema) });
