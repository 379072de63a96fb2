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
 * True when the text holds a C0 control character or DEL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasControlChars } from "./text_rules.ts";
 * assert.ok(hasControlChars("a\nb") && !hasControlChars("043-x"));
 * ```
 */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
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
