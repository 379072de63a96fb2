/**
 * A budget's period and the window of it that contains a given instant, on
 * the UTC calendar: a day from 00:00, an ISO week from Monday 00:00, a
 * calendar month from the 1st. `total` has no window: all time counts.
 *
 * @module
 */

import { keyValue } from "../cost/group_keys.ts";

/** The periods a budget may have; the first is the default. */
export const PERIODS = ["total", "day", "week", "month"] as const;

/** One period. */
export type Period = typeof PERIODS[number];

/** A half-open window `[start, end)` in epoch ms. */
export interface Window {
  /** The first millisecond of the period. */
  start: number;
  /** The first millisecond after it. */
  end: number;
}

const DAY_MS = 86_400_000;

/**
 * The window of `period` that holds `now` (epoch ms), or null for `total`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { periodWindow } from "./period.ts";
 * const now = Date.UTC(2026, 2, 18, 15, 30); // a Wednesday
 * assert.deepEqual(periodWindow("week", now), {
 *   start: Date.UTC(2026, 2, 16),
 *   end: Date.UTC(2026, 2, 23),
 * });
 * assert.equal(periodWindow("month", now)?.end, Date.UTC(2026, 3, 1));
 * assert.equal(periodWindow("total", now), null);
 * ```
 */
export function periodWindow(period: Period, now: number): Window | null {
  const d = new Date(now);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  switch (period) {
    case "total":
      return null;
    case "day": {
      const start = Date.UTC(y, m, day);
      return { start, end: start + DAY_MS };
    }
    case "week": {
      const sinceMonday = (d.getUTCDay() + 6) % 7; // Sunday is 0 in Date, day 7 of an ISO week
      const start = Date.UTC(y, m, day - sinceMonday);
      return { start, end: start + 7 * DAY_MS };
    }
    case "month":
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
  }
}

/**
 * The UTC days (`YYYY-MM-DD`, as `cost` groups by day) a window spans: the
 * first and the last, inclusive. Windows start and end at midnight, so a
 * day is either wholly in one or wholly out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { windowDays } from "./period.ts";
 * const w = { start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) };
 * assert.deepEqual(windowDays(w), { first: "2026-02-01", last: "2026-02-28" });
 * ```
 */
export function windowDays(window: Window): { first: string; last: string } {
  return { first: utcDay(window.start), last: utcDay(window.end - DAY_MS) };
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * How `cost` labels the window of `period` holding `now` (its `day`, `week`
 * or `month` group: `2026-03-18`, `2026-W12`, `2026-03`), or null for `total`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { periodLabel } from "./period.ts";
 * assert.equal(periodLabel("week", Date.UTC(2026, 2, 18, 12)), "2026-W12");
 * assert.equal(periodLabel("total", 0), null);
 * ```
 */
export function periodLabel(period: Period, now: number): string | null {
  if (period === "total") return null;
  const start = new Date(periodWindow(period, now)!.start).toISOString();
  return keyValue({ aggregate_id: "", timestamp: start } as never, period);
}
