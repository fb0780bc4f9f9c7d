import { caughtUpByTap, shardLag, totalLag } from '../../../../local/console/api/lag';

describe('shardLag', () => {
  it('is nothing behind when no record follows the checkpoint', () => {
    expect(shardLag([], 10_000)).toEqual({ recordsBehind: 0, millisBehind: 0 });
  });

  it('counts the records after the checkpoint and ages the oldest of them', () => {
    expect(shardLag([{ arrivalMs: 4_000 }, { arrivalMs: 9_000 }], 10_000)).toEqual({ recordsBehind: 2, millisBehind: 6_000 });
  });

  it('never reports negative milliseconds when a record arrived after the clock read (skew)', () => {
    expect(shardLag([{ arrivalMs: 10_500 }], 10_000)).toEqual({ recordsBehind: 1, millisBehind: 0 });
  });
});

describe('totalLag', () => {
  it('adds the records behind and takes the worst shard for milliseconds', () => {
    expect(
      totalLag([
        { recordsBehind: 2, millisBehind: 300 },
        { recordsBehind: 0, millisBehind: 0 },
        { recordsBehind: 5, millisBehind: 120 },
      ]),
    ).toEqual({ recordsBehind: 7, millisBehind: 300 });
  });

  it('is nothing behind for a source without shards', () => {
    expect(totalLag([])).toEqual({ recordsBehind: 0, millisBehind: 0 });
  });
});

describe('caughtUpByTap', () => {
  it.each([
    ['the checkpoint is the last record the tap read', '49', '49', true],
    ['the tap read past the checkpoint', '49', '51', false],
    ['there is no checkpoint yet', undefined, '51', false],
    ['the tap read nothing on the shard', '49', undefined, false],
    ['neither has a position (nothing is known)', undefined, undefined, false],
  ])('is %s → %p', (_what, checkpoint, tapLast, expected) => {
    expect(caughtUpByTap(checkpoint, tapLast)).toBe(expected);
  });
});
