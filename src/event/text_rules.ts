/**
 * Rules on text shared by every boundary (names, timestamps), with no
 * dependencies: the hot read path and the workers use them without loading
 * the schema library.
 *
 * @module
 */

/** Longest accepted id or name. */
export const MAX_NAME_LENGTH = 256;

/**
 * True when the text holds a control character: C0 (U+0000 to U+001F), DEL
 * (U+007F) or C1 (U+0080 to U+009F).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasControlChars } from "./text_rules.ts";
 * assert.ok(hasControlChars("a\nb") && hasControlChars("a\u0085b") && !hasControlChars("043-x"));
 * ```
 */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/**
 * True when the text holds a UTF-16 surrogate that is not half of a pair:
 * text that is not Unicode, which no file system, JSON reader or terminal
 * treats alike (UTF-8 cannot encode it; `TextEncoder` turns it into U+FFFD).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasLoneSurrogate } from "./text_rules.ts";
 * assert.ok(hasLoneSurrogate("a\ud800") && hasLoneSurrogate("\udc00a"));
 * assert.ok(!hasLoneSurrogate("\u{1F600}"));
 * ```
 */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return true; // a low half with no high half before it
    const next = text.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
    i++;
  }
  return false;
}

/** What a valid name is, in words: the one wording of {@linkcode nameProblem}'s rule. */
export const NAME_RULE = `1 to ${MAX_NAME_LENGTH} characters, ` +
  "no control characters (U+0000-U+001F, U+007F-U+009F) and no lone surrogates";

/**
 * Why `text` is not a valid name, or `null` when it is. The one name rule:
 * features, work packages, agents, roles, models, nodes and event types all
 * follow it ({@linkcode NAME_RULE} says it in words).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nameProblem } from "./text_rules.ts";
 * assert.equal(nameProblem("WP01"), null);
 * assert.match(nameProblem("a\u009bb")!, /control characters/);
 * assert.match(nameProblem("a\ud800")!, /lone surrogate/);
 * ```
 */
export function nameProblem(text: string): string | null {
  if (text.length === 0) return "must not be empty";
  if (text.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  // One pass, on every name of every line the byte path leaves: the two
  // rules' helpers above say the same, each in a pass of its own.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      return "must not contain control characters (U+0000-U+001F, U+007F-U+009F)";
    }
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
      return "must not contain a lone surrogate (half of a UTF-16 pair: not Unicode text)";
    }
    i++; // the low half of the pair
  }
  return null;
}

/**
 * The length of `text` in UTF-8 bytes (a lone surrogate counts 3, as the
 * U+FFFD it would be written as).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Length } from "./text_rules.ts";
 * assert.equal(utf8Length("aé€\u{1F600}"), 1 + 2 + 3 + 4);
 * ```
 */
export function utf8Length(text: string): number {
  return utf8Prefix(text, Infinity).bytes;
}

/**
 * The longest start of `text` that fits in `maxBytes` bytes of UTF-8, cut
 * on a code point: a surrogate pair is kept whole or dropped whole. `bytes`
 * is the UTF-8 length of what is kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Prefix } from "./text_rules.ts";
 * assert.deepEqual(utf8Prefix("ab\u{1F600}", 5), { text: "ab", bytes: 2 });
 * assert.deepEqual(utf8Prefix("ab\u{1F600}", 6), { text: "ab\u{1F600}", bytes: 6 });
 * ```
 */
export function utf8Prefix(text: string, maxBytes: number): { text: string; bytes: number } {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let size = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    let units = 1;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) [size, units] = [4, 2];
    }
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += units;
  }
  return { text: i === text.length ? text : text.slice(0, i), bytes };
}

/**
 * True for an RFC 3339 date-time with an offset (`Z`, `+00:00`, any) and
 * any number of fraction digits (Python writes microseconds, JavaScript
 * milliseconds), whose fields are in range (`Date.parse` alone accepts
 * February 30). Hand-written: it runs once per event read, and a regex with
 * captures costs several times more.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRfc3339 } from "./text_rules.ts";
 * assert.ok(isRfc3339("2026-02-16T09:12:58.036834+00:00"));
 * assert.ok(!isRfc3339("2026-02-30T09:12:58Z"));
 * ```
 */
export function isRfc3339(value: string): boolean {
  const n = value.length;
  if (n < 20) return false;
  if (scratch.length < n) scratch = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) return false;
    scratch[i] = c;
  }
  return isRfc3339Bytes(scratch, 0, n);
}

let scratch = new Uint8Array(64);

/**
 * {@linkcode isRfc3339} over the ASCII bytes `b[start, end)`: the one
 * implementation, so the byte-level line reader checks exactly the same.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRfc3339Bytes } from "./text_rules.ts";
 * const b = new TextEncoder().encode('"2026-02-16T09:12:58Z"');
 * assert.ok(isRfc3339Bytes(b, 1, b.length - 1) && !isRfc3339Bytes(b, 0, b.length));
 * ```
 */
export function isRfc3339Bytes(b: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  if (n < 20) return false;
  const year = digits(b, start, 4);
  const month = digits(b, start + 5, 2);
  const day = digits(b, start + 8, 2);
  const hour = digits(b, start + 11, 2);
  const minute = digits(b, start + 14, 2);
  const second = digits(b, start + 17, 2);
  const t = b[start + 10];
  if (
    year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
    minute > 59 || second < 0 || second > 59 || b[start + 4] !== DASH ||
    b[start + 7] !== DASH || (t !== 0x54 && t !== 0x74) || b[start + 13] !== COLON ||
    b[start + 16] !== COLON
  ) {
    return false;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 ||
      month === 9 || month === 11
    ? 30
    : 31;
  if (day > daysInMonth) return false;
  let i = start + 19;
  if (b[i] === 0x2e) {
    const from = ++i;
    while (i < end && b[i] >= 0x30 && b[i] <= 0x39) i++;
    if (i === from) return false;
  }
  if (i === end - 1) return b[i] === 0x5a || b[i] === 0x7a;
  if (i !== end - 6 || (b[i] !== 0x2b && b[i] !== DASH) || b[i + 3] !== COLON) return false;
  const offsetHour = digits(b, i + 1, 2);
  const offsetMinute = digits(b, i + 4, 2);
  return offsetHour >= 0 && offsetHour < 24 && offsetMinute >= 0 && offsetMinute < 60;
}

const DASH = 0x2d;
const COLON = 0x3a;

/** The number written by `length` ASCII digits at `at`, or -1. */
function digits(b: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const c = b[i] - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}
