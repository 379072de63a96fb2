/**
 * Run durations as a fixed log-scale histogram: percentiles in bounded
 * memory. A duration of d ms (d >= 1) falls in bucket
 * `1 + floor(16 * log2(d))` (bucket 0 holds 0 ms), so a bucket spans a
 * factor of 2^(1/16) (about 4.4%) and a percentile read at the bucket's
 * geometric middle is within 2.2% of the exact one. Durations up to 2^53 ms
 * need at most 850 buckets per histogram, however many runs there are.
 *
 * @module
 */

/** Buckets per doubling of the duration. */
const PER_DOUBLING = 16;

/** Bucket index to count (sparse: only buckets with runs). */
export type Histogram = Map<number, number>;

/**
 * The bucket of a duration in ms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bucketOf } from "./duration_histogram.ts";
 * assert.equal(bucketOf(0), 0);
 * assert.equal(bucketOf(1), 1);
 * assert.ok(bucketOf(1000) < bucketOf(1100));
 * ```
 */
export function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return 1 + Math.floor(PER_DOUBLING * Math.log2(ms));
}

/** Adds one duration. */
export function addDuration(histogram: Histogram, ms: number): void {
  const bucket = bucketOf(ms);
  histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
}

/** Adds `from` into `into`. */
export function mergeHistograms(into: Histogram, from: Histogram): void {
  for (const [bucket, count] of from) into.set(bucket, (into.get(bucket) ?? 0) + count);
}

/**
 * The `q` quantile (0..1) in ms, rounded: the geometric middle of the
 * bucket holding the run at rank `ceil(q * n)`; null for no runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addDuration, percentile, type Histogram } from "./duration_histogram.ts";
 * const h: Histogram = new Map();
 * for (let ms = 1; ms <= 100; ms++) addDuration(h, ms * 1000);
 * const p50 = percentile(h, 0.5)!;
 * assert.ok(Math.abs(p50 - 50_000) / 50_000 < 0.025);
 * ```
 */
export function percentile(histogram: Histogram, q: number): number | null {
  let total = 0;
  for (const count of histogram.values()) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) {
      return bucket === 0 ? 0 : Math.round(2 ** ((bucket - 1 + 0.5) / PER_DOUBLING));
    }
  }
  return null;
}
