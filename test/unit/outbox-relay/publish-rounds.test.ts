import { planPublishRounds } from '../../../lambdas/outbox-relay/publish-rounds';

describe('planPublishRounds', () => {
  it('puts the n-th record of every key in round n', () => {
    expect(planPublishRounds(['a', 'a', 'b', 'a', 'c'])).toEqual([[0, 2, 4], [1], [3]]);
  });

  it('never puts two records of one key in the same round, and keeps each key in order', () => {
    const keys = ['x', 'y', 'x', 'x', 'y', 'z', 'x'];

    const rounds = planPublishRounds(keys);

    for (const round of rounds) expect(new Set(round.map((index) => keys[index])).size).toBe(round.length);
    const xOrder = rounds.flat().filter((index) => keys[index] === 'x');
    expect(xOrder).toEqual([0, 2, 3, 6]);
  });

  it('uses one round when all keys differ, none when there is nothing', () => {
    expect(planPublishRounds(['a', 'b', 'c'])).toEqual([[0, 1, 2]]);
    expect(planPublishRounds([])).toEqual([]);
  });
});
