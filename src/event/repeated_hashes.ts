/**
 * Which 52-bit id hashes (or prints) occur more than once: what `cost`,
 * `export` and `query` each ask before they count an event once. Kept
 * here, below them all, so the one algorithm serves each. It runs in
 * WebAssembly (repeated.wat): at a million events it is the last step of
 * `cost` on the main thread, after the parallel scan, and the JavaScript
 * it replaced took ten times as long (see docs/performance.md).
 *
 * @module
 */
import { REPEATED_WASM_BASE64 } from "./repeated_wasm.ts";

interface Finder {
  memory: WebAssembly.Memory;
  mark(from: number, n: number, bits: number, counts: number): void;
  keep(from: number, n: number, bits: number, counts: number, out: number): number;
  repeats(from: number, kept: number, tbits: number, table: number): number;
}

let compiled: WebAssembly.Module | undefined;

/**
 * A fresh instance: its memory is zeroed, and dropped with it (megabytes at
 * a million hashes).
 */
function finder(): Finder {
  compiled ??= new WebAssembly.Module(Uint8Array.fromBase64(REPEATED_WASM_BASE64));
  return new WebAssembly.Instance(compiled).exports as unknown as Finder;
}

/** Hashes copied into the kernel at a time: they pass through this window, never all in it. */
const WINDOW = 8192;

/** log2 of the buckets a hash (three: eight, so about a tenth of the hashes share one). */
const BUCKET_BITS = 3;

/** Grows `k`'s memory to hold `bytes` (the old buffer's views are then void). */
function reserve(k: Finder, bytes: number): void {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((Math.max(bytes, 2 * have) - have) / 65536));
}

/** Calls `step` on each `WINDOW` of the hashes of `parts`, copied to offset 0. */
function eachWindow(k: Finder, parts: readonly Float64Array[], step: (n: number) => void): void {
  for (const part of parts) {
    for (let i = 0; i < part.length; i += WINDOW) {
      const slice = part.subarray(i, i + WINDOW);
      new Float64Array(k.memory.buffer, 0, slice.length).set(slice);
      step(slice.length);
    }
  }
}

/**
 * The hashes (integers in [0, 2^53)) that occur more than once among all
 * the parts, sorted (for `hasHash`'s binary search). Two passes over a
 * bitmap of buckets (about eight a hash) narrow them to the few that share
 * a bucket (about a tenth), and a hash table of those finds the repeats:
 * sorting them all cost more than the scan's hashing.
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
  if (count < 2) return new Float64Array(0);
  // Memory touched for the first time is what costs most here (about a
  // millisecond a megabyte): the counters take two bits a bucket, the table
  // goes over them when it fits, and nothing holds all the hashes at once.
  const bits = Math.max(16, Math.min(27, Math.ceil(Math.log2(count + 1)) + BUCKET_BITS));
  const k = finder();
  const counts = WINDOW * 8;
  const countBytes = 2 ** bits / 4;
  const kept = counts + countBytes;
  reserve(k, kept);
  eachWindow(k, parts, (n) => k.mark(0, n, bits, counts));
  let end = kept;
  eachWindow(k, parts, (n) => {
    reserve(k, end + n * 8);
    end = k.keep(0, n, bits, counts, end);
  });
  const many = (end - kept) / 8;
  // At least twice the slots as hashes kept: short probes.
  const tbits = Math.max(4, Math.ceil(Math.log2(many + 1)) + 1);
  const table = 8 * 2 ** tbits <= countBytes ? counts : end;
  reserve(k, table + 8 * 2 ** tbits);
  const repeated = k.repeats(kept, many, tbits, table);
  return new Float64Array(k.memory.buffer, kept, repeated).slice().sort();
}
