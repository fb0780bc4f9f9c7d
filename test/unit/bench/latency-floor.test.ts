import { chainSums, COMMAND_FLOOR_STEPS, FLOOR_STEPS, floorWriteItems, REFERENCE_STEPS } from '../../../bench/measure/latency-floor';

describe('the latency floor', () => {
  describe('its write step', () => {
    it('puts a transaction row and the balance row guarded by the version the last chain wrote, in one call', () => {
      const items = floorWriteItems('floor', 2, 7, 6);

      expect(items).toEqual([
        { Put: { TableName: 'floor', Item: expect.objectContaining({ pk: 'w2-txn-7', version: 7 }) } },
        {
          Put: {
            TableName: 'floor',
            Item: expect.objectContaining({ pk: 'w2-balance', version: 7 }),
            ConditionExpression: '#version = :previous',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':previous': 6 },
          },
        },
      ]);
    });

    it('guards the first balance row by its absence', () => {
      const [, balance] = floorWriteItems('floor', 0, 1, 0);

      expect(balance.Put).toEqual(expect.objectContaining({ ConditionExpression: 'attribute_not_exists(pk)' }));
      expect(balance.Put).not.toHaveProperty('ExpressionAttributeValues');
    });

    it('is the guarded transaction, with the earlier PutItem kept only as a reference step', () => {
      expect(FLOOR_STEPS).toContain('DynamoDB TransactWriteItems (guarded balance row + transaction row)');
      expect(FLOOR_STEPS.some((step) => step.includes('PutItem'))).toBe(false);
      expect(REFERENCE_STEPS.some((step) => step.includes('PutItem'))).toBe(true);
    });
  });

  describe('chainSums', () => {
    it('sums the command steps and the pipeline steps apart, and leaves the reference steps out of both', () => {
      const timed = [...COMMAND_FLOOR_STEPS.map(() => 1), ...FLOOR_STEPS.map(() => 10), ...REFERENCE_STEPS.map(() => 1000)];

      expect(chainSums(timed)).toEqual({ command: COMMAND_FLOOR_STEPS.length, pipeline: 10 * FLOOR_STEPS.length });
    });
  });
});
