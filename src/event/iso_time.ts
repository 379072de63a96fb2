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

function withMicros(ms: number, text: string): number {
  const fraction = /\.(\d{4,})/.exec(text);
  return fraction ? ms + Number(fraction[1].slice(3, 6).padEnd(3, "0")) / 1000 : ms;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
