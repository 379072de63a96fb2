/**
 * Which 52-bit id hashes (or prints) occur more than once: what `cost`,
 * `export` and `query` each ask before they count an event once. Kept
 * here, below them all, so the one algorithm serves each.
 *
 * @module
 */

/**
 * The hashes that occur more than once among all the parts, sorted (for
 * `hasHash`'s binary search). Two passes over a bitmap of the hashes' top
 * bits narrow them to the few that share a bucket (about a tenth at a million
 * events), and only those are sorted: sorting them all cost more than the
 * scan's hashing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repeatedHashes } from "./repeated_hashes.ts";
 * assert.deepEqual([...repeatedHashes([Float64Array.of(3, 1, 2), Float64Array.of(2, 3, 3)])], [2, 3]);
 * assert.deepEqual([...repeatedHashes([Float64Array.of(1), Float64Array.of()])], []);
 * ```
 */
export function repeatedHashes(parts: readonly Float64Array[]): Float64Array {
  const count = parts.reduce((n, p) => n + p.length, 0);
  // About eight buckets per hash (at least 2^16), from the hash's top bits.
  const bits = Math.max(16, Math.min(26, Math.ceil(Math.log2(count + 1)) + 3));
  const scale = 2 ** (52 - bits);
  const seen = new Uint32Array(2 ** (bits - 5));
  const shared = new Uint32Array(2 ** (bits - 5));
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const bucket = Math.floor(part[i] / scale);
      const word = bucket >>> 5;
      const bit = 1 << (bucket & 31);
      if (seen[word] & bit) shared[word] |= bit;
      else seen[word] |= bit;
    }
  }
  const candidates: number[] = [];
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const bucket = Math.floor(part[i] / scale);
      if (shared[bucket >>> 5] & (1 << (bucket & 31))) candidates.push(part[i]);
    }
  }
  const sorted = Float64Array.from(candidates).sort();
  const repeated: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1] && repeated.at(-1) !== sorted[i]) repeated.push(sorted[i]);
  }
  return Float64Array.from(repeated);
}
