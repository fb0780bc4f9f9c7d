import fc from 'fast-check';
import { decodeCursor, encodeCursor } from '../../../lambdas/query/cursor';
import { ValidationError } from '../../../lambdas/shared/errors';

/** Property tests of the transactions cursor; a failure prints fast-check's seed and the shrunk counterexample. */
const SEED = 20_251_129;
const accountId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const version = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const key = fc.string({ minLength: 1, maxLength: 64 });

describe('cursor properties', () => {
  it('round-trips every position of every account', () => {
    fc.assert(
      fc.property(accountId, version, key, (account, v, k) => {
        expect(decodeCursor(encodeCursor({ accountId: account, version: v }, k), account, k)).toEqual({ accountId: account, version: v });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuses a cursor of another account, or signed with another key', () => {
    fc.assert(
      fc.property(accountId, accountId, version, key, key, (mine, theirs, v, k1, k2) => {
        fc.pre(mine !== theirs && k1 !== k2);
        expect(() => decodeCursor(encodeCursor({ accountId: theirs, version: v }, k1), mine, k1)).toThrow(ValidationError);
        expect(() => decodeCursor(encodeCursor({ accountId: mine, version: v }, k2), mine, k1)).toThrow(ValidationError);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers any other string with a ValidationError (a 400), never another error', () => {
    const anyString = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.base64String(),
      fc.stringMatching(/^[0-9]{1,20}\.[A-Za-z0-9_-]{0,30}$/),
    );
    fc.assert(
      fc.property(anyString, accountId, (cursor, account) => {
        try {
          decodeCursor(cursor, account, 'key');
          throw new Error(`accepted a forged cursor ${JSON.stringify(cursor)}`);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('refuses every single-character change to a valid cursor', () => {
    fc.assert(
      fc.property(accountId, version, fc.nat(), fc.constantFrom(...'0123456789ABCXYZabcxyz-_.'), (account, v, at, replacement) => {
        const cursor = encodeCursor({ accountId: account, version: v }, 'key');
        const index = at % cursor.length;
        fc.pre(cursor[index] !== replacement);
        const tampered = cursor.slice(0, index) + replacement + cursor.slice(index + 1);
        expect(() => decodeCursor(tampered, account, 'key')).toThrow(ValidationError);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
