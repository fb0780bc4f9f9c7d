import { cdf, histogram, median, percentile, ratePerSecond, summarize } from '../../../bench/lib/stats';

describe('bench statistics', () => {
  describe('percentile', () => {
    it.each([
      [50, 3],
      [0, 1],
      [20, 1],
      [21, 2],
      [95, 5],
      [100, 5],
    ])('takes the nearest rank: p%d of 1..5 is %d', (p, expected) => {
      expect(percentile([5, 1, 3, 2, 4], p)).toBe(expected);
    });

    it('picks p99 of 1..100 as 99, not 100', () => {
      expect(
        percentile(
          Array.from({ length: 100 }, (_, i) => i + 1),
          99,
        ),
      ).toBe(99);
    });

    it('fails on no values', () => {
      expect(() => percentile([], 50)).toThrow(/at least one value/);
    });

    it('fails on a percentile outside 0..100 with the value it got', () => {
      expect(() => percentile([1], 101)).toThrow(/got 101/);
    });
  });

  it('summarizes count, extremes, percentiles and mean', () => {
    expect(summarize([10, 20, 30, 40])).toEqual({ count: 4, min: 10, p50: 20, p95: 40, p99: 40, max: 40, mean: 25 });
    expect(median([7, 1, 4])).toBe(4);
  });

  describe('ratePerSecond', () => {
    it('turns items in milliseconds into items per second', () => {
      expect(ratePerSecond(500, 250)).toBe(2000);
    });

    it('is zero when nothing was done, whatever the time', () => {
      expect(ratePerSecond(0, 0)).toBe(0);
    });

    it('fails on a zero elapsed time with work done', () => {
      expect(() => ratePerSecond(1, 0)).toThrow(/must be positive/);
    });
  });

  describe('histogram', () => {
    it('splits the range into equal bins and keeps the maximum in the last one', () => {
      const bins = histogram([0, 1, 2, 3, 4, 10], 2, { min: 0, max: 10 });

      expect(bins).toEqual([
        { from: 0, to: 5, count: 5 },
        { from: 5, to: 10, count: 1 },
      ]);
    });

    it('puts values beyond the range into the edge bins', () => {
      expect(histogram([-5, 50], 2, { min: 0, max: 10 }).map((b) => b.count)).toEqual([1, 1]);
    });
  });

  it('builds a CDF with one point per distinct value', () => {
    expect(cdf([2, 1, 2, 3])).toEqual([
      { value: 1, fraction: 0.25 },
      { value: 2, fraction: 0.75 },
      { value: 3, fraction: 1 },
    ]);
  });
});
