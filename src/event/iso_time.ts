/**
 * Timestamps as the Python writer's reader takes them: what
 * `datetime.fromisoformat` (3.11) reads, plus `Z`. A time without an offset
 * is UTC. Lines the tool writes are RFC 3339 (`text_rules.ts`), read on the
 * fast path; this is the one rule for everything else a log may hold.
 *
 * @module
 */
import { isRfc3339 } from "./text_rules.ts";

// Date; one separator (any character but a digit); hours, optional minutes,
// seconds and fraction, colons optional; offset Z or ±HH[[:]MM[[:]SS[.f]]].
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[^\d](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2})(?:\.\d+)?)?)?)?)?$/;

/**
 * Epoch milliseconds of a timestamp (microseconds kept as a fraction), or
 * NaN when it is not one: RFC 3339, or any form Python's
 * `datetime.fromisoformat` reads (no offset, `+0100`, a space for `T`,
 * a date alone), a missing offset meaning UTC.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoInstantMs } from "./iso_time.ts";
 * assert.equal(isoInstantMs("1970-01-01T00:00:00.001500Z"), 1.5);
 * assert.equal(isoInstantMs("1970-01-01 01:00:00+0100"), 0);
 * assert.equal(isoInstantMs("1970-01-02"), 86_400_000);
 * assert.ok(Number.isNaN(isoInstantMs("2026-02-30T00:00:00")));
 * ```
 */
export function isoInstantMs(text: string): number {
  if (isRfc3339(text)) return withMicros(Date.parse(text), text);
  const m = ISO.exec(text);
  if (!m) return NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  const offsetSeconds = Number(m[12] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59 || offsetSeconds > 59) return NaN;
  const sign = m[9] === "-" ? -1 : 1;
  const offset = sign * ((offsetHours * 60 + offsetMinutes) * 60 + offsetSeconds) * 1000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Python keeps microseconds; more digits than six are cut, not rounded.
  const fraction = m[7] === undefined ? 0 : Number(m[7].slice(0, 6).padEnd(6, "0")) / 1000;
  const ms = new Date(utc).setUTCFullYear(year) - offset + fraction;
  return ms;
}

/**
 * {@linkcode isoInstantMs} read straight from the bytes `[from, to)` of the
 * common forms, `YYYY-MM-DDTHH:MM:SS`, an optional fraction, then `Z`,
 * `±HH:MM` or nothing (UTC): no string made, for a time read per event.
 * NaN for anything else, which the caller then reads as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoBytesMs } from "./iso_time.ts";
 * const b = new TextEncoder().encode("1970-01-01T01:00:00.0015+01:00");
 * assert.equal(isoBytesMs(b, 0, b.length), 1.5);
 * ```
 */
export function isoBytesMs(b: Uint8Array, from: number, to: number): number {
  if (to - from < 19 || b[from + 4] !== 0x2d || b[from + 7] !== 0x2d || b[from + 10] !== 0x54) {
    return NaN;
  }
  if (b[from + 13] !== 0x3a || b[from + 16] !== 0x3a) return NaN;
  const year = digits(b, from, 4);
  const month = digits(b, from + 5, 2);
  const day = digits(b, from + 8, 2);
  const hour = digits(b, from + 11, 2);
  const minute = digits(b, from + 14, 2);
  const second = digits(b, from + 17, 2);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month))) return NaN;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  let at = from + 19;
  let fraction = 0;
  if (at < to && b[at] === 0x2e) {
    const start = ++at;
    while (at < to && b[at] >= 0x30 && b[at] <= 0x39) at++;
    if (at === start) return NaN;
    // Microseconds kept, as a fraction of a millisecond; further digits cut.
    const n = Math.min(at - start, 6);
    fraction = digits(b, start, n) * 10 ** (6 - n) / 1000;
  }
  let offset = 0;
  if (at < to && (b[at] === 0x5a || b[at] === 0x7a)) at++;
  else if (at < to && (b[at] === 0x2b || b[at] === 0x2d)) {
    if (to - at !== 6 || b[at + 3] !== 0x3a) return NaN;
    const h = digits(b, at + 1, 2);
    const m = digits(b, at + 4, 2);
    if (!(h <= 23 && m <= 59)) return NaN;
    offset = (b[at] === 0x2d ? -1 : 1) * (h * 60 + m) * 60_000;
    at += 6;
  }
  if (at !== to || year < 1000) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second) - offset + fraction;
}

/** The number the `count` ASCII digits at `at` spell, NaN when one is not a digit. */
function digits(b: Uint8Array, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

function withMicros(ms: number, text: string): number {
  const fraction = /\.(\d{4,})/.exec(text);
  return fraction ? ms + Number(fraction[1].slice(3, 6).padEnd(3, "0")) / 1000 : ms;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
