import * as z from '../shared/zod';
import { ValidationError } from '../shared/errors';

/** The key of the last transaction on a page: where the next page starts. */
export interface TransactionCursor {
  readonly accountId: string;
  readonly version: number;
}

const cursorSchema = z.object({ accountId: z.string(), version: z.int().check(z.positive()) });

/**
 * An opaque, URL-safe cursor for a page key (base64url JSON).
 *
 * @example
 * encodeCursor({ accountId: 'a1', version: 25 }) // 'eyJhY2NvdW50SWQiOiJhMSIsInZlcnNpb24iOjI1fQ'
 */
export function encodeCursor(key: TransactionCursor): string {
  return Buffer.from(JSON.stringify({ accountId: key.accountId, version: key.version }), 'utf8').toString('base64url');
}

/**
 * The page key in a cursor from {@link encodeCursor}, checked to belong to this account.
 *
 * @throws {ValidationError} (field `cursor`) for a cursor this API did not hand out for this account.
 */
export function decodeCursor(cursor: string, accountId: string): TransactionCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const result = cursorSchema.safeParse(value);
  if (!result.success || result.data.accountId !== accountId) {
    throw new ValidationError('the cursor is invalid', [
      { field: 'cursor', message: 'must be the cursor of a previous page of this account, unchanged' },
    ]);
  }
  return result.data;
}
