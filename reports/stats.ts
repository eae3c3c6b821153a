// The few statistics a report needs: a mean with its 95% confidence interval over replications, and order
// statistics for latency distributions. Replications are few (3-5 in the shipped sweeps), so the interval uses
// Student's t, not the normal 1.96, which would understate the spread by a third at n = 3.

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t_{0.975, df}: the half-width multiplier of a 95% interval; 1.96 beyond the table (df > 30: within 2%). */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`tQuantile975: degrees of freedom must be a positive integer, got ${df}`);
  return T975[df - 1] ?? 1.96;
}

export interface MeanInterval {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  readonly sd: number;
  /** 95% confidence interval of the mean; equal to the mean when n = 1 (no spread to estimate). */
  readonly lo: number;
  readonly hi: number;
}

/**
 * Mean and 95% interval. `floor` clips the interval's lower end for quantities that cannot go below it (bytes,
 * yen, rates: 0), which a t interval over two or three replications otherwise often does.
 */
export function meanInterval(values: readonly number[], floor = -Infinity): MeanInterval {
  const n = values.length;
  if (n === 0) throw new RangeError('meanInterval: no values');
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, mean, sd: 0, lo: mean, hi: mean };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, lo: Math.max(mean - half, floor), hi: mean + half };
}

/** Linear-interpolated quantile (type 7, as R and NumPy default) of unsorted values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile: no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (b - a) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
