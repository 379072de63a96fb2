/**
 * Text made fit for OTLP: protobuf strings are UTF-8, so a lone surrogate
 * (which a JS string, and Python's JSON, can hold) has no encoding, and a
 * strict parser refuses the whole batch over one. Pure.
 *
 * @module
 */

/**
 * Free text cut to at most `max` code units without splitting a character,
 * and well-formed: a lone surrogate (Python's `\udcXX` for bytes it could not
 * decode) becomes U+FFFD, since OTLP strings are UTF-8 and a strict parser
 * refuses the whole batch over one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wellFormedCut } from "./well_formed.ts";
 * assert.equal(wellFormedCut("ab\u{1F600}", 3), "ab");
 * assert.equal(wellFormedCut("x\udc80y", 10), "x\ufffdy");
 * ```
 */
export function wellFormedCut(text: string, max: number): string {
  let cut = text.length > max ? text.slice(0, max) : text;
  const last = cut.charCodeAt(cut.length - 1);
  if (cut.length < text.length && last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.isWellFormed() ? cut : cut.toWellFormed();
}
