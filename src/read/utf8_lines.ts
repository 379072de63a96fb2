/**
 * Where bytes stop being UTF-8, by line: what an error about invalid input
 * names so a person can find the line.
 *
 * @module
 */

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The 1-based number of the first line (split on `\n`) that is not valid
 * UTF-8, or `null` when every line is. A `\n` byte never occurs inside a
 * multi-byte sequence, so lines can be judged one by one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { invalidUtf8Line } from "./utf8_lines.ts";
 * assert.equal(invalidUtf8Line(new Uint8Array([0x61, 0x0a, 0x62, 0xff, 0x0a])), 2);
 * assert.equal(invalidUtf8Line(new TextEncoder().encode("é\n")), null);
 * ```
 */
export function invalidUtf8Line(bytes: Uint8Array): number | null {
  let number = 1;
  for (let from = 0; from <= bytes.length; number++) {
    const nl = bytes.indexOf(0x0a, from);
    const end = nl === -1 ? bytes.length : nl;
    try {
      strict.decode(bytes.subarray(from, end));
    } catch {
      return number;
    }
    if (nl === -1) break;
    from = nl + 1;
  }
  return null;
}
