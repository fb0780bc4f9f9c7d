import * as z from '../shared/zod';

/** Page size of `GET /accounts/{id}/transactions`. */
export const TRANSACTIONS_PAGE = { default: 25, max: 100 } as const;

/**
 * The query string of `GET /accounts/{id}/transactions`: `limit` a decimal integer 1..100 written
 * plainly (no `0x10`, `1e2`, ` 7` or `+5`, which `Number()` would accept), `cursor` as handed out.
 * Other parameters are refused. lib/api-routes.ts declares the gateway parameters and the OpenAPI ones from this very schema.
 */
export const transactionsQuery = z.strictObject({
  limit: z.optional(z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, `must be a decimal integer from 1 to ${TRANSACTIONS_PAGE.max}, e.g. 25`))),
  cursor: z.optional(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(100, 'must be the cursor of a previous page, unchanged'))),
});
