import { cardFraudSuspectedV1, cardSwipedV1 } from '../../../../lambdas/domain/cards';
import { swipedData } from '../../../helpers/card-swipes';

describe('card events', () => {
  describe('sluice.card.swiped.v1', () => {
    it('accepts a valid swipe and partitions by cardId', () => {
      const data = cardSwipedV1.schema.parse(swipedData());
      expect(cardSwipedV1.kind).toBe('telemetry');
      expect(cardSwipedV1.partitionKey?.(data)).toBe('card-1');
    });

    it.each([
      ['amount', 0],
      ['amount', -5],
      ['amount', 12.5],
      ['country', 'de'],
      ['country', 'DEU'],
      ['country', 'XY'],
      ['country', 'ZZ'],
      ['merchant', ''],
      ['at', 'yesterday'],
      ['cardId', ''],
    ])('rejects %s = %j', (field, value) => {
      const result = cardSwipedV1.schema.safeParse(swipedData({ [field]: value }));
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].path).toEqual([field]);
    });
  });

  describe('sluice.card.fraud-suspected.v1', () => {
    const valid = {
      cardId: 'card-1',
      accountId: 'acc-1',
      reason: 'velocity',
      windowSeconds: 300,
      swipeIds: ['a', 'b'],
      detectedAt: '2025-01-01T12:00:00.000Z',
    };

    it('is an integration event partitioned by cardId', () => {
      expect(cardFraudSuspectedV1.kind).toBe('integration');
      expect(cardFraudSuspectedV1.partitionKey?.(cardFraudSuspectedV1.schema.parse(valid))).toBe('card-1');
    });

    it('accepts only the known reasons', () => {
      expect(cardFraudSuspectedV1.schema.safeParse({ ...valid, reason: 'amount' }).success).toBe(false);
    });
  });
});
