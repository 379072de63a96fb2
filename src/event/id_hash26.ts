/**
 * The 52-bit hash of a 26-character event id, case folded: what `cost`
 * counts each event once by (`cost/id_hash.ts`), what the kernel writes in
 * each execution line's record, and `query`'s print of an id
 * (`query/id_prints.ts`). A hash only nominates duplicates; they are
 * confirmed on the normalised ids.
 *
 * @module
 */

const FOLD = 0x20202020;

/**
 * The hash of the 26-character id at `at` in `d`: two 32-bit mixes of six
 * words and a half-word, joined into 52 bits (exact in a double). Locals
 * only, so it inlines and boxes nothing. The kernel's `$idHash`
 * (scan/40_exec_payload.wat) is the same arithmetic.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hash26 } from "./id_hash26.ts";
 * const upper = new TextEncoder().encode("01KHJVJWDM0HGAGYGXJYKD1JQG");
 * const lower = new TextEncoder().encode("01khjvjwdm0hgagygxjykd1jqg");
 * assert.equal(hash26(new DataView(upper.buffer), 0), hash26(new DataView(lower.buffer), 0));
 * ```
 */
export function hash26(d: DataView, at: number): number {
  // Unrolled: a loop here kept V8 from inlining it (ten times slower per event).
  let a = 0x811c9dc5 | 0;
  let c = 0x1b873593 | 0;
  let w = d.getUint32(at, true) | FOLD;
  a = Math.imul(a ^ w, 0x01000193);
  c = Math.imul(c ^ w, 0x5bd1e995);
  w = d.getUint32(at + 4, true) | FOLD;
  a = Math.imul(a ^ (a >>> 15) ^ w, 0x01000193);
  c = Math.imul(c ^ (c >>> 13) ^ w, 0x5bd1e995);
  w = d.getUint32(at + 8, true) | FOLD;
  a = Math.imul(a ^ (a >>> 15) ^ w, 0x01000193);
  c = Math.imul(c ^ (c >>> 13) ^ w, 0x5bd1e995);
  w = d.getUint32(at + 12, true) | FOLD;
  a = Math.imul(a ^ (a >>> 15) ^ w, 0x01000193);
  c = Math.imul(c ^ (c >>> 13) ^ w, 0x5bd1e995);
  w = d.getUint32(at + 16, true) | FOLD;
  a = Math.imul(a ^ (a >>> 15) ^ w, 0x01000193);
  c = Math.imul(c ^ (c >>> 13) ^ w, 0x5bd1e995);
  w = d.getUint32(at + 20, true) | FOLD;
  a = Math.imul(a ^ (a >>> 15) ^ w, 0x01000193);
  c = Math.imul(c ^ (c >>> 13) ^ w, 0x5bd1e995);
  w = d.getUint16(at + 24, true) | 0x2020;
  a = Math.imul(a ^ (a >>> 15) ^ w, 0x01000193);
  c = Math.imul(c ^ (c >>> 13) ^ w, 0x5bd1e995);
  return ((a ^ (a >>> 15)) >>> 0) * 0x100000 + ((c ^ (c >>> 13)) >>> 12);
}
