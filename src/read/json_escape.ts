/**
 * How `JSON.stringify` spells a `\u` escape, for telling from the bytes
 * whether a stored line is already the canonical text of its value.
 *
 * @module
 */

/**
 * Whether the four hex digits at `p` (after `\u`) are how `JSON.stringify`
 * writes that character: a control character without a short escape, in
 * lower case. Lone surrogates (also written so) are left out: rare.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stringifiedEscape } from "./json_escape.ts";
 * const b = new TextEncoder().encode("001f 001F 000a 00e9");
 * assert.deepEqual([0, 5, 10, 15].map((p) => stringifiedEscape(b, p)), [true, false, false, false]);
 * assert.equal(JSON.stringify("\u001f"), '"\\u001f"');
 * ```
 */
export function stringifiedEscape(b: Uint8Array, p: number): boolean {
  if (b[p] !== 0x30 || b[p + 1] !== 0x30 || (b[p + 2] !== 0x30 && b[p + 2] !== 0x31)) return false;
  const last = b[p + 3];
  const low = last >= 0x30 && last <= 0x39
    ? last - 0x30
    : last >= 0x61 && last <= 0x66
    ? last - 87
    : -1;
  if (low < 0) return false;
  const code = (b[p + 2] - 0x30) * 16 + low;
  return code !== 8 && code !== 9 && code !== 10 && code !== 12 && code !== 13;
}
