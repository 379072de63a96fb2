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
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (
    year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
    minute > 59 || second < 0 || second > 59 || value[4] !== "-" || value[7] !== "-" ||
    (value[10] !== "T" && value[10] !== "t") || value[13] !== ":" || value[16] !== ":"
  ) {
    return false;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 ||
      month === 9 || month === 11
    ? 30
    : 31;
  if (day > daysInMonth) return false;
  let i = 19;
  if (value[i] === ".") {
    const start = ++i;
    while (i < n && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
    if (i === start) return false;
  }
  if (i === n - 1) return value[i] === "Z" || value[i] === "z";
  if (i !== n - 6 || (value[i] !== "+" && value[i] !== "-") || value[i + 3] !== ":") return false;
  const offsetHour = digits(value, i + 1, 2);
  const offsetMinute = digits(value, i + 4, 2);
  return offsetHour >= 0 && offsetHour < 24 && offsetMinute >= 0 && offsetMinute < 60;
}

/** The number written by `length` ASCII digits at `at`, or -1. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}
