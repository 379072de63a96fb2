/**
 * Spend over time for the report's chart: per UTC day, or per ISO week when
 * the range is long, every period of the range included (no spend: 0), each
 * split by model. Pure.
 *
 * @module
 */
import type { Group, Totals } from "../cost/aggregate.ts";
import { keyValue } from "../cost/group_keys.ts";
import { NONE } from "./run_stats.ts";

/** One time bucket of the spend chart. */
export interface PeriodSpend {
  /** `YYYY-MM-DD` or ISO week `YYYY-Www`. */
  label: string;
  /** Spend per model, in {@linkcode ReportData.chart_models} order. */
  by_model: bigint[];
}

/** Past this many days between the first and last event, the chart is weekly. */
export const WEEKLY_AFTER_DAYS = 60;

/** The cost of a totals (reported plus estimated). */
export const costOf = (t: Totals): bigint => t.reported + t.estimated;

/**
 * Spend per period from groups keyed by `day` and `model`; a model not in
 * `chartModels` adds to `other` (when listed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spendOverTime } from "./spend_over_time.ts";
 * import { emptyTotals } from "../cost/aggregate.ts";
 * const g = (day: string) => ({ key: { day, model: "m" }, totals: { ...emptyTotals(), reported: 5n } });
 * const out = spendOverTime([g("2026-03-01"), g("2026-03-03")], ["m"], "other");
 * assert.deepEqual(out.spend.map((p) => p.by_model[0]), [5n, 0n, 5n]);
 * const long = spendOverTime([g("2026-01-01"), g("2026-06-01")], ["m"], "other");
 * assert.equal(long.period, "week");
 * ```
 */
export function spendOverTime(
  groups: Group[],
  chartModels: string[],
  other: string,
): { period: "day" | "week"; spend: PeriodSpend[] } {
  const days = new Map<string, bigint[]>();
  for (const { key, totals } of groups) {
    const day = key.day!;
    let row = days.get(day);
    if (!row) days.set(day, row = chartModels.map(() => 0n));
    const model = key.model ?? NONE;
    let at = chartModels.indexOf(model);
    if (at < 0) at = chartModels.indexOf(other);
    if (at >= 0) row[at] += costOf(totals);
  }
  const sorted = [...days.keys()].sort();
  if (sorted.length === 0) return { period: "day", spend: [] };
  const first = Date.parse(sorted[0]);
  const last = Date.parse(sorted[sorted.length - 1]);
  const span = (last - first) / 86_400_000;
  if (span <= WEEKLY_AFTER_DAYS) {
    const spend: PeriodSpend[] = [];
    for (let t = first; t <= last; t += 86_400_000) {
      const label = new Date(t).toISOString().slice(0, 10);
      spend.push({ label, by_model: days.get(label) ?? chartModels.map(() => 0n) });
    }
    return { period: "day", spend };
  }
  // Every week of the range, in order (weeks with no spend are bars of height 0).
  const weeks = new Map<string, bigint[]>();
  for (let t = first; t <= last; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const week = keyValue({ timestamp: `${day}T00:00:00Z` } as never, "week")!;
    const row = weeks.get(week) ?? chartModels.map(() => 0n);
    days.get(day)?.forEach((units, i) => row[i] += units);
    weeks.set(week, row);
  }
  return { period: "week", spend: [...weeks].map(([label, by_model]) => ({ label, by_model })) };
}
