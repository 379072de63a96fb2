/**
 * The cost report as plain data: groups sorted, money rounded once. Every
 * output format renders this one shape; `--json` prints it as is.
 *
 * @module
 */
import { emptyTotals, type Group, mergeTotals, type Totals } from "../cost/aggregate.ts";
import type { GroupKey } from "../cost/group_keys.ts";
import { unitsToNumber } from "../cost/money.ts";
import { addCounts, type TokenCount, tokenCount } from "../cost/token_sum.ts";

/**
 * Totals as printed (money as numbers rounded to 6 decimals; token sums
 * exact: a BigInt past 2**53, which `exactJson` prints as a JSON integer).
 */
export interface TotalsView {
  /** Uncached input tokens (null counts add nothing). */
  total_input_tokens: TokenCount;
  /** Output tokens, reasoning included. */
  total_output_tokens: TokenCount;
  /** Input tokens read from the prompt cache. */
  total_cache_read_tokens: TokenCount;
  /** Input tokens written to the prompt cache. */
  total_cache_write_tokens: TokenCount;
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
  /** With `--columns success` or `failed_cost`: events of failed runs (`success: false`). */
  failed_event_count?: number;
  /** With `--columns success` or `failed_cost`: what the failed runs cost. */
  failed_cost_usd?: number;
  /** With `--columns duration`: the runs' `duration_ms` summed. */
  total_duration_ms?: number;
  /** With `--columns duration`: their median, within 2.2% (null without runs). */
  duration_p50_ms?: number | null;
}

/** One group row. */
export interface GroupView extends TotalsView {
  /** The key values joined with `/`, a null value as `(none)`: the row label. */
  group_key: string;
  /** Each `group_by` key's value for this group; null when events lack it. */
  key: Record<string, string | null>;
  /** With `--breakdown`: the group's rows per model, sorted as the groups are. */
  breakdown?: GroupView[];
}

/** How rows are ordered: by key (ascending) or by cost, events or tokens (descending). */
export type SortBy = "key" | "cost" | "events" | "tokens";

/** The orders `--sort` takes. */
export const SORTS: readonly SortBy[] = ["key", "cost", "events", "tokens"];

/** The keys that are times: their groups sort by time (the key) unless told otherwise. */
export const TIME_KEYS: readonly GroupKey[] = ["day", "week", "month"];

/** Options of {@linkcode costView}. */
export interface CostViewOptions {
  /** Row order; default: by key when the first group key is a time, else by cost. */
  sort?: SortBy;
  /** Reverses the order. */
  reverse?: boolean;
  /**
   * The groups carry this extra key (not in `group_by`): each group's rows by
   * it become its `breakdown` (`--breakdown`: the model).
   */
  breakdownKey?: GroupKey;
  /**
   * The same sums over the failed runs alone (grouped by the same keys, the
   * breakdown key included): each row gets its failed count and cost.
   */
  failed?: { total: Totals; groups: Group[] };
}

/** The whole report: the `cost --json` contract. */
export interface CostView {
  /** The grouping keys, in the order asked for. */
  group_by: GroupKey[];
  /** With `--breakdown`: the key each group's `breakdown` rows are by (the model). */
  breakdown_by?: GroupKey;
  /** Rows by time (time keys) or total cost descending, then `group_key`; see `--sort`. */
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
 * Builds the report view: rows sorted (see {@linkcode CostViewOptions}).
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
  options: CostViewOptions = {},
): CostView {
  const sort = options.sort ?? (TIME_KEYS.includes(groupBy[0]) ? "key" : "cost");
  const order = (rows: GroupView[]) => sortRows(rows, sort, options.reverse === true);
  const extra = options.breakdownKey;
  const scanBy = extra === undefined ? groupBy : [...groupBy, extra];
  const failedOf = failedLookup(options.failed, scanBy);
  const withFailed = (view: GroupView, failed: Totals | undefined) =>
    options.failed ? addFailed(view, failed ?? emptyTotals()) : view;
  let groups: GroupView[];
  if (extra === undefined) {
    groups = order(aggregator.groups().map((g) => withFailed(groupView(g, groupBy), failedOf(g))));
  } else {
    type Parent = { key: Group["key"]; totals: Totals; failed: Totals; rows: GroupView[] };
    const parents = new Map<string, Parent>();
    for (const g of aggregator.groups()) {
      const key: Group["key"] = {};
      for (const k of groupBy) key[k] = g.key[k];
      const id = JSON.stringify(groupBy.map((k) => key[k]));
      let parent = parents.get(id);
      if (!parent) {
        parents.set(id, parent = { key, totals: emptyTotals(), failed: emptyTotals(), rows: [] });
      }
      mergeTotals(parent.totals, g.totals);
      const failed = failedOf(g);
      if (failed) mergeTotals(parent.failed, failed);
      parent.rows.push(withFailed(groupView(g, [extra]), failed));
    }
    groups = order([...parents.values()].map((p) => {
      const view = withFailed(groupView({ key: p.key, totals: p.totals }, groupBy), p.failed);
      view.breakdown = sortRows(p.rows, sort === "key" ? "cost" : sort, false);
      return view;
    }));
  }
  return {
    group_by: groupBy,
    ...(extra === undefined ? {} : { breakdown_by: extra }),
    groups,
    total: options.failed
      ? addFailed(totalsView(aggregator.total), options.failed.total)
      : totalsView(aggregator.total),
    filters,
    skipped_lines: skippedLines,
    duplicate_lines: repeats.duplicateLines,
    conflicting_ids: repeats.conflictingIds,
    events_with_unknown_values: repeats.unknownValueEvents ?? 0,
  };
}

/** The failed runs' sums of a group, found by its key values. */
function failedLookup(
  failed: CostViewOptions["failed"],
  keys: GroupKey[],
): (g: Group) => Totals | undefined {
  const id = (g: Group) => JSON.stringify(keys.map((k) => g.key[k] ?? null));
  const byId = new Map((failed?.groups ?? []).map((g) => [id(g), g.totals]));
  return (g) => byId.get(id(g));
}

function addFailed<V extends TotalsView>(view: V, failed: Totals): V {
  view.failed_event_count = failed.event_count;
  const units = failed.reported + failed.estimated;
  view.failed_cost_usd = unitsToNumber(units);
  EXACT.set(view, { ...EXACT.get(view), failed_cost_usd: units });
  return view;
}

/** The money columns of a {@linkcode TotalsView}. */
export type MoneyField =
  | "total_cost_usd"
  | "reported_cost_usd"
  | "estimated_cost_usd"
  | "failed_cost_usd";

// Each view's exact amounts in 1e-15 USD, beside the rounded doubles JSON carries: rows sort
// by them and text formats print them, so money is rounded once, from the exact sum.
const EXACT = new WeakMap<TotalsView, Partial<Record<MoneyField, bigint>>>();

/**
 * A view's exact amount in 1e-15 USD, when the view was made here (else
 * undefined: use the number).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exactUsd } from "./cost_view.ts";
 * assert.equal(exactUsd({ total_cost_usd: 1 } as never, "total_cost_usd"), undefined);
 * ```
 */
export function exactUsd(view: TotalsView, field: MoneyField): bigint | undefined {
  return EXACT.get(view)?.[field];
}

function groupView(g: Group, keys: GroupKey[]): GroupView {
  const key: Group["key"] = {};
  for (const k of keys) key[k] = g.key[k] ?? null;
  const totals = totalsView(g.totals);
  const view = {
    group_key: keys.map((k) => key[k] ?? "(none)").join("/"),
    key,
    ...totals,
  };
  EXACT.set(view, EXACT.get(totals)!);
  return view;
}

const tokens = (r: TotalsView) =>
  addCounts(
    r.total_input_tokens,
    r.total_output_tokens,
    r.total_cache_read_tokens,
    r.total_cache_write_tokens,
  );

const MEASURE: Record<Exclude<SortBy, "key">, (r: GroupView) => bigint> = {
  cost: (r) => exactUsd(r, "total_cost_usd") ?? 0n,
  events: (r) => BigInt(r.event_count),
  tokens: (r) => BigInt(tokens(r)),
};

/** `key`: ascending by key; the others descending, ties by key ascending. */
function sortRows(rows: GroupView[], sort: SortBy, reverse: boolean): GroupView[] {
  const byKey = (a: GroupView, b: GroupView) =>
    a.group_key < b.group_key ? -1 : a.group_key > b.group_key ? 1 : 0;
  const compare = sort === "key" ? byKey : (a: GroupView, b: GroupView) => {
    const [x, y] = [MEASURE[sort](a), MEASURE[sort](b)];
    return x === y ? byKey(a, b) : x > y ? -1 : 1;
  };
  const sorted = rows.sort(compare);
  return reverse ? sorted.reverse() : sorted;
}

function totalsView(t: Totals): TotalsView {
  const view: TotalsView = {
    total_input_tokens: tokenCount(t.input_tokens),
    total_output_tokens: tokenCount(t.output_tokens),
    total_cache_read_tokens: tokenCount(t.cache_read_tokens),
    total_cache_write_tokens: tokenCount(t.cache_write_tokens),
    total_cost_usd: unitsToNumber(t.reported + t.estimated),
    reported_cost_usd: unitsToNumber(t.reported),
    estimated_cost_usd: unitsToNumber(t.estimated),
    event_count: t.event_count,
    estimated_event_count: t.estimated_event_count,
    unpriced_event_count: t.unpriced_event_count,
    unpriced_models: [...t.unpriced_models].sort(),
    model_names: [...t.model_names].sort(),
  };
  EXACT.set(view, {
    total_cost_usd: t.reported + t.estimated,
    reported_cost_usd: t.reported,
    estimated_cost_usd: t.estimated,
  });
  return view;
}
