/**
 * Byte-for-byte equality, the merges' one test of "the same line" or "the
 * same log" (a plain loop: `every` calls a function per byte, which a whole
 * log's comparison feels).
 *
 * @module
 */

/**
 * True when `a` and `b` hold the same bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { equalBytes } from "./equal_bytes.ts";
 * assert.ok(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
 * assert.ok(!equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
 * ```
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
