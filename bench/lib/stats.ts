/** Small statistics helpers for the benchmark; pure, so they are unit tested. */

/**
 * The `p`-th percentile (0..100) of `values` by the nearest-rank method.
 *
 * @example
 * percentile([5, 1, 3, 2, 4], 50) // 3
 * @throws Error when `values` is empty or `p` is outside 0..100
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile needs at least one value (got none)');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be between 0 and 100 (got ${p})`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Count, min, p50, p95, p99, max and mean of `values` (nearest-rank percentiles). */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize needs at least one value (got none)');
  return {
    count: values.length,
    min: Math.min(...values),
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean: values.reduce((sum, v) => sum + v, 0) / values.length,
  };
}

/** Items per second for `items` done in `elapsedMs`; 0 when nothing was done. */
export function ratePerSecond(items: number, elapsedMs: number): number {
  if (items === 0) return 0;
  if (!(elapsedMs > 0)) throw new Error(`elapsed time must be positive (got ${elapsedMs} ms)`);
  return (items * 1000) / elapsedMs;
}

export interface Bin {
  /** Inclusive lower bound. */
  readonly from: number;
  /** Exclusive upper bound (the last bin includes it). */
  readonly to: number;
  readonly count: number;
}

/**
 * Splits `values` into `binCount` equal-width bins from `min` to `max` of the data (or the range
 * given); values above the range land in the last bin, so no value is lost.
 */
export function histogram(values: readonly number[], binCount: number, range?: { min: number; max: number }): Bin[] {
  if (!Number.isInteger(binCount) || binCount < 1) throw new Error(`bin count must be a positive integer (got ${binCount})`);
  if (values.length === 0) return [];
  const min = range?.min ?? Math.min(...values);
  const max = range?.max ?? Math.max(...values);
  const width = max > min ? (max - min) / binCount : 1;
  const counts = new Array<number>(binCount).fill(0);
  for (const value of values) {
    const index = Math.min(binCount - 1, Math.max(0, Math.floor((value - min) / width)));
    counts[index]++;
  }
  return counts.map((count, i) => ({ from: min + i * width, to: min + (i + 1) * width, count }));
}

/** The empirical CDF as points `(value, fraction ≤ value)`, one per distinct value, ascending. */
export function cdf(values: readonly number[]): Array<{ value: number; fraction: number }> {
  const sorted = [...values].sort((a, b) => a - b);
  const points: Array<{ value: number; fraction: number }> = [];
  sorted.forEach((value, i) => {
    const fraction = (i + 1) / sorted.length;
    if (points.length > 0 && points[points.length - 1].value === value) points[points.length - 1].fraction = fraction;
    else points.push({ value, fraction });
  });
  return points;
}
