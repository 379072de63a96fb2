/**
 * The cost report as plain data: groups sorted, money rounded once. Every
 * output format renders this one shape; `--json` prints it as is.
 *
 * @module
 */
import type { Totals } from "../cost/aggregate.ts";
import type { GroupKey } from "../cost/group_keys.ts";
import type { Group } from "../cost/aggregate.ts";
import { unitsToNumber } from "../cost/money.ts";

/** Totals as printed (money as numbers rounded to 6 decimals). */
export interface TotalsView {
  /** Uncached input tokens (null counts add nothing). */
  total_input_tokens: number;
  /** Output tokens, reasoning included. */
  total_output_tokens: number;
  /** Input tokens read from the prompt cache. */
  total_cache_read_tokens: number;
  /** Input tokens written to the prompt cache. */
  total_cache_write_tokens: number;
  /** Reported plus estimated, summed exactly and rounded once. */
  total_cost_usd: number;
  /** The part that events stated themselves in `cost_usd`. */
  reported_cost_usd: number;
  /** The part priced from tokens with the pricing table. */
  estimated_cost_usd: number;
  /** Execution events counted, whatever their cost kind. */
  event_count: number;
  /** Events whose cost was estimated rather than reported. */
  estimated_event_count: number;
  /** Events with no reported cost and no price: they add $0, so totals are a lower bound. */
  unpriced_event_count: number;
  /** The canonical models behind the unpriced events, sorted; `(none)` for a null model. */
  unpriced_models: string[];
  /** The model names met, as recorded, sorted: the spellings behind a canonical model. */
  model_names: string[];
}

/** One group row. */
export interface GroupView extends TotalsView {
  /** The key values joined with `/`, a null value as `(none)`: the row label. */
  group_key: string;
  /** Each `group_by` key's value for this group; null when events lack it. */
  key: Record<string, string | null>;
}

/** The whole report: the `cost --json` contract. */
export interface CostView {
  /** The grouping keys, in the order asked for. */
  group_by: GroupKey[];
  /** Rows by total cost descending, then `group_key`. */
  groups: GroupView[];
  /** Over every counted event (not the sum of rounded rows). */
  total: TotalsView;
  /** The filters applied, echoed so a saved report says what it covers. */
  filters: Record<string, unknown>;
  /** Malformed log lines skipped while reading. */
  skipped_lines: number;
  /** Lines that repeat an event already counted, identical to it: ignored. */
  duplicate_lines: number;
  /** Ids found on lines with different content: each counted once (the first in clock order). */
  conflicting_ids: string[];
  /**
   * Events counted with some payload values unknown: the log held values not
   * valid for their keys (a negative count, text for a number); `verify` lists them.
   */
  events_with_unknown_values: number;
}

/** What counting each event once left out (see `cost/exactly_once.ts`). */
export interface Repeats {
  /** Identical repeats ignored. */
  duplicateLines: number;
  /** Ids whose copies differ. */
  conflictingIds: string[];
  /** Events read with some values unknown. */
  unknownValueEvents?: number;
}

/**
 * Builds the report view: rows by cost descending, then key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costView } from "./cost_view.ts";
 * import { CostAggregator } from "../cost/aggregate.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const view = costView(new CostAggregator(["agent"], defaultPricing()), ["agent"], {}, 0);
 * assert.ok(view.groups.length === 0 && view.total.total_cost_usd === 0);
 * ```
 */
export function costView(
  aggregator: { total: Totals; groups(): Group[] },
  groupBy: GroupKey[],
  filters: Record<string, unknown>,
  skippedLines: number,
  repeats: Repeats = { duplicateLines: 0, conflictingIds: [] },
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
    duplicate_lines: repeats.duplicateLines,
    conflicting_ids: repeats.conflictingIds,
    events_with_unknown_values: repeats.unknownValueEvents ?? 0,
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
    model_names: [...t.model_names].sort(),
  };
}
