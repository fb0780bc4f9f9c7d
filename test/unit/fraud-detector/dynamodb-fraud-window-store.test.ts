import type { CardWindow } from '../../../lambdas/domain/cards';
import { plainValue, windowItem } from '../../../lambdas/fraud-detector/dynamodb-fraud-window-store';

// The store against DynamoDB Local (conditional saves, TTL attribute): test/integration/dynamodb/fraud-windows.test.ts.
describe('the fraud window item', () => {
  const window: CardWindow = {
    cardId: 'card-1',
    swipes: [
      { eventId: 'e1', at: '2026-01-01T10:00:00.000Z', amount: 1250, country: 'DE' },
      { eventId: 'e2', at: '2026-01-01T10:01:00.000Z', amount: 0.5, country: 'FR' },
    ],
    alerts: { geography: '2026-01-01T10:01:00.000Z' },
  };

  it('is written as DynamoDB attribute values: strings, numbers as decimal strings, lists and maps', () => {
    expect(windowItem(window, 3, 1_900_000_000)).toEqual({
      cardId: { S: 'card-1' },
      swipes: {
        L: [
          { M: { eventId: { S: 'e1' }, at: { S: '2026-01-01T10:00:00.000Z' }, amount: { N: '1250' }, country: { S: 'DE' } } },
          { M: { eventId: { S: 'e2' }, at: { S: '2026-01-01T10:01:00.000Z' }, amount: { N: '0.5' }, country: { S: 'FR' } } },
        ],
      },
      alerts: { M: { geography: { S: '2026-01-01T10:01:00.000Z' } } },
      revision: { N: '3' },
      expiresAt: { N: '1900000000' },
    });
  });

  it('reads back as the plain values it was written from', () => {
    expect(plainValue({ M: windowItem(window, 3, 1_900_000_000) })).toEqual({ ...window, revision: 3, expiresAt: 1_900_000_000 });
    expect(plainValue({ M: windowItem({ cardId: 'card-2', swipes: [], alerts: {} }, 1, 5) })).toEqual({
      cardId: 'card-2',
      swipes: [],
      alerts: {},
      revision: 1,
      expiresAt: 5,
    });
  });

  it('reads booleans and null, and no other type (which the item schema then refuses)', () => {
    expect(plainValue({ M: { a: { BOOL: false }, b: { NULL: true }, c: { SS: ['x'] } } })).toEqual({ a: false, b: null, c: undefined });
  });
});
