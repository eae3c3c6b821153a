// Zipf popularity over n items (shops, payees): item k (0-based rank) has weight 1/(k+1)^s. The CDF is built
// once per (n, s) and shared by every stream that samples it; a draw is one uniform and a binary search,
// ~17 steps at n = 10^5, with no rejection loop whose length would depend on the stream's history.

import { EngineError } from './errors.ts';

export class Zipf {
  /** cdf[k] = P(rank <= k); the last entry is exactly 1. */
  readonly cdf: Float64Array;

  constructor(
    readonly n: number,
    readonly s: number,
  ) {
    if (!(Number.isInteger(n) && n >= 1)) throw new EngineError('n', n, 'Zipf needs a positive integer item count');
    if (!(s >= 0 && s < Infinity)) throw new EngineError('s', s, 'Zipf exponent must be finite and >= 0');
    const cdf = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      total += Math.pow(k + 1, -s);
      cdf[k] = total;
    }
    for (let k = 0; k < n; k++) cdf[k] = cdf[k]! / total;
    cdf[n - 1] = 1;
    this.cdf = cdf;
  }

  /** The rank whose CDF interval holds `u` in [0, 1). */
  rank(u: number): number {
    const cdf = this.cdf;
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** P(rank = k). */
  probability(k: number): number {
    if (!(Number.isInteger(k) && k >= 0 && k < this.n)) return 0;
    return this.cdf[k]! - (k === 0 ? 0 : this.cdf[k - 1]!);
  }
}
