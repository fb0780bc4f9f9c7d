import { overtakenRecords } from '../../../lambdas/outbox-relay/overtaken-records';

const at = (partitionKey: string, sequenceNumber?: number, shardId = 'shardId-000000000000') =>
  sequenceNumber === undefined ? { partitionKey } : { partitionKey, shardId, sequenceNumber: String(sequenceNumber) };

describe('overtakenRecords', () => {
  it('returns nothing when every key landed in stream order', () => {
    expect(overtakenRecords([at('a', 1), at('b', 2), at('a', 3), at('b', 4)])).toEqual([]);
    expect(overtakenRecords([])).toEqual([]);
  });

  it('returns, from the first record that landed below an earlier one of its key, every later landed record of that key', () => {
    // a@1 was retried and landed at 9, after a@2 (5) and a@3 (6); b is untouched; a@4 failed.
    expect(overtakenRecords([at('a', 9), at('b', 4), at('a', 5), at('a', 6), at('b', 7), at('a')])).toEqual([2, 3]);
  });

  it('compares sequence numbers as numbers, not as strings', () => {
    expect(overtakenRecords([at('a', 10), at('a', 9)])).toEqual([1]);
    expect(overtakenRecords([at('a', 9), at('a', 10)])).toEqual([]);
  });

  it('does not compare records on different shards (a reshard between attempts)', () => {
    expect(overtakenRecords([at('a', 9, 'shardId-000000000001'), at('a', 5, 'shardId-000000000002')])).toEqual([]);
  });
});
