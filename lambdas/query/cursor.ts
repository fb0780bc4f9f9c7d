import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../shared/errors';

/** The key of the last transaction on a page: where the next page starts. */
export interface TransactionCursor {
  readonly accountId: string;
  readonly version: number;
}

/** `<version in base 10>.<base64url HMAC-SHA256 tag, 16 bytes>`: short, URL-safe, opaque to callers. */
const CURSOR_PATTERN = /^([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{22})$/;
const TAG_BYTES = 16;

/** The tag binding a page position to one account: forging or moving a cursor needs the key. */
function tag(key: string, accountId: string, version: number): Buffer {
  return createHmac('sha256', key).update(`transactions\n${accountId}\n${version}`).digest().subarray(0, TAG_BYTES);
}

/**
 * An opaque cursor for a page key, bound to its account by an HMAC under `key` (the query
 * function's key, a Secrets Manager secret on AWS: see cursor-key.ts). The version is not secret
 * (it is on every item); the tag makes a cursor of another account, or one typed by hand, a 400
 * rather than a page of someone's data.
 *
 * @example
 * encodeCursor({ accountId: 'a1', version: 25 }, key) // '25.Xq0…'
 */
export function encodeCursor(position: TransactionCursor, key: string): string {
  return `${position.version}.${tag(key, position.accountId, position.version).toString('base64url')}`;
}

/**
 * The page key in a cursor from {@link encodeCursor}, checked to have been handed out for this account.
 *
 * @throws {ValidationError} (field `cursor`) for any other string: malformed, forged, or another account's.
 */
export function decodeCursor(cursor: string, accountId: string, key: string): TransactionCursor {
  const match = CURSOR_PATTERN.exec(cursor);
  const version = match ? Number(match[1]) : NaN;
  const given = match ? Buffer.from(match[2], 'base64url') : undefined;
  // The last of 22 base64url characters carries 2 bits; re-encoding refuses the 15 aliases of a valid tag.
  const canonical = given !== undefined && given.toString('base64url') === match?.[2];
  const valid = canonical && Number.isSafeInteger(version) && given.length === TAG_BYTES && timingSafeEqual(given, tag(key, accountId, version));
  if (!valid) {
    // Also what a cursor signed before a key rotation gets: it cannot be told apart from a forged one.
    throw new ValidationError(
      'the cursor is invalid or has expired (cursors stop working when the signing key is rotated): request the first page again without cursor',
      [{ field: 'cursor', message: 'must be the cursor of a previous page of this account, unchanged' }],
    );
  }
  return { accountId, version };
}
