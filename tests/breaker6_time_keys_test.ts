/**
 * breaker6: cost's time keys (day, week, month) from the event's instant,
 * with the last day's key text kept (src/cost/group_keys.ts `DayKey`).
 */
import assert from "node:assert/strict";
import { CostAggregator } from "../src/cost/aggregate.ts";
import type { GroupKey } from "../src/cost/group_keys.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { baseEvent } from "./helpers.ts";

function groups(by: GroupKey[], stamps: string[]): Record<string, string | null>[] {
  const agg = new CostAggregator(by, defaultPricing());
  stamps.forEach((timestamp, i) => {
    const e = baseEvent();
    agg.add({ ...e, timestamp, payload: { ...e.payload, wp_id: `WP${i}` } } as never);
  });
  return agg.groups().map((g) => g.key).sort((a, b) => a.wp!.localeCompare(b.wp!));
}

// 1969-12-28 is a Sunday (ISO 1969-W52); the Monday after starts 1970-W01. An instant before
// 1970 with microseconds is a negative fraction of a millisecond: a Date truncates it toward
// zero, into the next day, while the day key floors it.
const SUNDAY_NOON = "1969-12-28T12:00:00Z";
const SUNDAY_LAST = "1969-12-28T23:59:59.9995Z";

Deno.test("week: the week of the event's UTC day, whichever event of the day comes first", () => {
  // An event of another day first: the last day's key text is kept across scans.
  for (const stamps of [[SUNDAY_NOON, SUNDAY_LAST], [SUNDAY_LAST, SUNDAY_NOON]]) {
    const weeks = groups(["wp", "week"], ["2026-03-02T10:00:00Z", ...stamps]).map((k) => k.week);
    assert.deepEqual(weeks, ["2026-W10", "1969-W52", "1969-W52"], stamps.join(" then "));
  }
});

Deno.test("day, week and month of one event agree (the day a microsecond before 1970-01-01)", () => {
  const [key] = groups(["wp", "day", "week", "month"], ["1969-12-31T23:59:59.999999Z"]);
  assert.deepEqual(key, { wp: "WP0", day: "1969-12-31", week: "1970-W01", month: "1969-12" });
});

Deno.test("month past year 9999 (an offset carries 9999-12-31 over): the day's year and month", () => {
  const [key] = groups(["wp", "day", "month"], ["9999-12-31T23:00:00-05:00"]);
  assert.deepEqual(key, { wp: "WP0", day: "10000-01-01", month: "10000-01" });
});

Deno.test("day and month before year 0 (an offset carries 0000-01-01 back): a signed year", () => {
  const [key] = groups(["wp", "day", "month"], ["0000-01-01T00:00:00+01:00"]);
  assert.deepEqual(key, { wp: "WP0", day: "-0001-12-31", month: "-0001-12" });
});
