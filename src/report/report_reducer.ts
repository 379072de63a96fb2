/**
 * The report's reducer for the parallel reader: `cost`'s reducer grouped by
 * model (the totals), one more cost aggregator over the other dimensions
 * (every breakdown of the page is a sum of its groups), the spend per day
 * and model ({@linkcode DailySpend}), and {@linkcode RunStats}
 * for what cost sums cannot say (failures, durations, cache savings, the
 * most expensive runs). Pure.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import type { Reducer } from "../read/parallel_scan.ts";
import type { ExecutionView } from "../read/line_view.ts";
import { matches } from "../query/filter.ts";
import { GROUP_KEYS, type GroupKey, MODEL_GROUP } from "../cost/group_keys.ts";
import {
  type CostPartial,
  type CostScanInit,
  createReducer as createCostReducer,
  mergeResults as mergeCostResults,
} from "../cost/cost_reducer.ts";
import { CostAggregator, emptyTotals, type Group } from "../cost/aggregate.ts";

import { mergeRunStats, RunStats, type RunStatsPartial } from "./run_stats.ts";

/**
 * The groups `cost`'s reducer sums by for the report: the model (the
 * totals, and what each id counted once takes out, as `cost` counts).
 */
export const REPORT_GROUPS: readonly GroupKey[] = [MODEL_GROUP];

/**
 * The groups every other breakdown adds up: feature, work package, agent,
 * role, model. Their product is bounded by the data's dimensions, never by
 * days or events (a group per day and all five would be one per event).
 */
export const DIMENSION_GROUPS: readonly GroupKey[] = [
  ...GROUP_KEYS.filter((k) => k !== "day" && k !== "week" && k !== "month" && k !== MODEL_GROUP),
  MODEL_GROUP,
];

/** The keys of the spend per day: the UTC day, then the model. */
export const DAILY_GROUPS: readonly GroupKey[] = ["day", MODEL_GROUP];

/** What each thread is handed (`groupBy` is {@linkcode REPORT_GROUPS}). */
export type ReportScanInit = CostScanInit;

/** One thread's sums. */
export interface ReportPartial {
  /** `cost`'s sums over {@linkcode REPORT_GROUPS}. */
  cost: CostPartial;
  /** The sums over {@linkcode DIMENSION_GROUPS}. */
  dimensions: Group[];
  /** The sums per day and model (keys as {@linkcode DAILY_GROUPS}). */
  days: Group[];
  /** Failures, durations, savings, top runs. */
  runs: RunStatsPartial;
}

/**
 * A reducer folding matching execution events into cost sums and run statistics.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createReducer, REPORT_GROUPS } from "./report_reducer.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const r = createReducer({ groupBy: [...REPORT_GROUPS], pricing: defaultPricing(), filter: {} });
 * r.events([]);
 * assert.equal(r.result().cost.total.event_count, 0);
 * ```
 */
export function createReducer(init: ReportScanInit): Reducer<ReportPartial> {
  const cost = createCostReducer(init);
  const dimensions = new CostAggregator(DIMENSION_GROUPS, init.pricing);
  const days = new CostAggregator(DAILY_GROUPS, init.pricing);
  const runs = new RunStats(init.pricing);
  return {
    execution(view, line): boolean {
      cost.execution(view, line);
      if (matches(view, init.filter)) {
        dimensions.add(view);
        days.add(view);
        runs.add(view, () => viewId(view));
      }
      return true;
    },
    otherTypes: false,
    events(events: Event[]): void {
      cost.events(events);
      for (const event of events) {
        if (event.event_type === EXECUTION_EVENT && matches(event, init.filter)) {
          dimensions.add(event as ExecutionEvent);
          days.add(event as ExecutionEvent);
          runs.add(event as ExecutionEvent, () => event.event_id);
        }
      }
    },
    result: (): ReportPartial => ({
      cost: cost.result(),
      dimensions: dimensions.groups(),
      days: days.groups(),
      runs: runs.result(),
    }),
  };
}

/** A view's id: the 26 ASCII characters the readers took it from. */
function viewId(view: ExecutionView): string {
  const data = view.idData();
  let id = "";
  for (let i = 0; i < 26; i++) id += String.fromCharCode(data.getUint8(view.idFrom + i));
  return id;
}

/**
 * Merges two threads' sums.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createReducer, mergeResults, REPORT_GROUPS } from "./report_reducer.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const init = { groupBy: [...REPORT_GROUPS], pricing: defaultPricing(), filter: {} };
 * const a = createReducer(init).result();
 * assert.equal(mergeResults(a, structuredClone(a)).cost.total.event_count, 0);
 * ```
 */
export function mergeResults(a: ReportPartial, b: ReportPartial): ReportPartial {
  const groupsOnly = (groups: Group[]) => ({ groups, total: emptyTotals(), ids: [] });
  return {
    cost: mergeCostResults(a.cost, b.cost),
    dimensions: mergeCostResults(groupsOnly(a.dimensions), groupsOnly(b.dimensions)).groups,
    days: mergeCostResults(groupsOnly(a.days), groupsOnly(b.days)).groups,
    runs: mergeRunStats(a.runs, b.runs),
  };
}
