/**
 * The cost report as plain data: groups sorted, money rounded once. Every
 * output format renders this one shape; `--json` prints it as is.
 *
 * @module
 */
import type { GroupKey, Totals } from "../cost/aggregate.ts";
import type { Group } from "../cost/aggregate.ts";
import { unitsToNumber } from "../cost/money.ts";

/** Totals as printed (money as numbers rounded to 6 decimals). */
export interface TotalsView {
  total_input_tokens: number;
  total_output_tokens: number;
  total_cache_read_tokens: number;
  total_cache_write_tokens: number;
  total_cost_usd: number;
  reported_cost_usd: number;
  estimated_cost_usd: number;
  event_count: number;
  estimated_event_count: number;
  unpriced_event_count: number;
  unpriced_models: string[];
}

/** One group row. */
export interface GroupView extends TotalsView {
  group_key: string;
  key: Record<string, string | null>;
}

/** The whole report: the `cost --json` contract. */
export interface CostView {
  group_by: GroupKey[];
  groups: GroupView[];
  total: TotalsView;
  filters: Record<string, unknown>;
  skipped_lines: number;
}

/**
 * Builds the report view: rows by cost descending, then key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costView } from "./cost_view.ts";
 * import { CostAggregator } from "../cost/aggregate.ts";
 * import { defaultPricing } from "../cost/pricing_file.ts";
 * const view = costView(new CostAggregator(["agent"], defaultPricing()), ["agent"], {}, 0);
 * assert.ok(view.groups.length === 0 && view.total.total_cost_usd === 0);
 * ```
 */
export function costView(
  aggregator: { total: Totals; groups(): Group[] },
  groupBy: GroupKey[],
  filters: Record<string, unknown>,
  skippedLines: number,
): CostView {
  const rows = aggregator.groups().map((g) => ({
    cost: g.totals.reported + g.totals.estimated,
    view: {
      group_key: groupBy.map((k) => g.key[k] ?? "(none)").join("/"),
      key: g.key,
      ...totalsView(g.totals),
    },
  }));
  rows.sort((a, b) =>
    a.cost === b.cost
      ? (a.view.group_key < b.view.group_key ? -1 : a.view.group_key > b.view.group_key ? 1 : 0)
      : (a.cost > b.cost ? -1 : 1)
  );
  return {
    group_by: groupBy,
    groups: rows.map((r) => r.view),
    total: totalsView(aggregator.total),
    filters,
    skipped_lines: skippedLines,
  };
}

function totalsView(t: Totals): TotalsView {
  return {
    total_input_tokens: t.input_tokens,
    total_output_tokens: t.output_tokens,
    total_cache_read_tokens: t.cache_read_tokens,
    total_cache_write_tokens: t.cache_write_tokens,
    total_cost_usd: unitsToNumber(t.reported + t.estimated),
    reported_cost_usd: unitsToNumber(t.reported),
    estimated_cost_usd: unitsToNumber(t.estimated),
    event_count: t.event_count,
    estimated_event_count: t.estimated_event_count,
    unpriced_event_count: t.unpriced_event_count,
    unpriced_models: [...t.unpriced_models].sort(),
  };
}
