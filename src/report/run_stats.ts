/**
 * What the report adds to the cost sums, event by event: failed runs' cost
 * per agent and model, durations per agent (a fixed histogram), cache
 * savings per model and the most expensive runs. Bounded memory whatever
 * the number of events; parts merge in any order. Pure.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import {
  type GroupedKey,
  PAYLOAD_GROUPS,
  type PayloadGroup,
  type ReadPayloadFields,
  type RunKey,
  type TextKey,
} from "../event/fields.ts";
import {
  CostAggregator,
  emptyTotals,
  eventTime,
  type Group,
  mergeTotals,
} from "../cost/aggregate.ts";
import { withoutExtras } from "../cost/exactly_once.ts";
import type { ExecutionEvent } from "../event/execution.ts";

import { keyValue, MODEL_GROUP } from "../cost/group_keys.ts";
import {
  estimateUnits,
  eventCost,
  smallEstimateUnits,
  type TokenFields,
} from "../cost/estimate.ts";
import { findPrice, type ModelPrice, type PricingTable } from "../cost/pricing.ts";
import { addDuration, type Histogram, mergeHistograms } from "./duration_histogram.ts";
import { mergeTopRuns, type Run, TopRuns } from "./top_runs.ts";
import { addCounts } from "../cost/token_sum.ts";
import { nameKey } from "../event/name_key.ts";

/** What run statistics read of an execution event (a decoded event or a byte view). */
export type RunEvent = Pick<Event, "aggregate_id" | "timestamp"> & {
  payload: Pick<ReadPayloadFields, Exclude<RunKey, TextKey> | GroupedKey>;
  /** The timestamp as epoch milliseconds, when the reader can give it without a string. */
  timeMs?: () => number;
};

/** The label of a missing value (as `cost` prints it). */
export const NONE = "(none)";

/** The groups the failed runs' sums are kept by: every payload dimension (wp, agent, role, model). */
export const FAILED_GROUPS: readonly PayloadGroup[] = [
  ...PAYLOAD_GROUPS.map(([group]) => group).filter((g) => g !== MODEL_GROUP),
  MODEL_GROUP,
];

/** Run statistics (structured-clone safe). */
export interface RunStatsPartial {
  /** Failed runs' sums by agent and model. */
  failed: Group[];
  /** Durations of every run, by agent. */
  durations: Map<string, Histogram>;
  /** By canonical model: what cache reads would have cost as input minus what they cost, 1e-15 USD. */
  savings: Map<string, bigint>;
  /** The most expensive runs. */
  top: Run[];
}

/**
 * Folds runs into {@linkcode RunStatsPartial}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RunStats } from "./run_stats.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const stats = new RunStats(defaultPricing());
 * assert.equal(stats.result().top.length, 0);
 * ```
 */
export class RunStats {
  readonly #failed: CostAggregator;
  readonly #durations = new Map<string, Histogram>();
  readonly #savings = new Map<string, bigint>();
  readonly #pendingSavings = new Map<string, number>();
  readonly #asInput: TokenFields = {
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
  };
  readonly #top = new TopRuns();
  readonly #prices = new Map<string, ModelPrice | undefined>();

  /** Prices with `pricing`. */
  constructor(readonly pricing: PricingTable) {
    this.#failed = new CostAggregator(FAILED_GROUPS, pricing);
  }

  /** Adds one run that matched the filters; `idOf` gives its id (asked only for a top run). */
  add(event: RunEvent, idOf: () => string): void {
    const p = event.payload;
    if (p.success === false) this.#failed.add(event);
    const agent = p.agent === null ? NONE : nameKey(p.agent);
    let histogram = this.#durations.get(agent);
    if (!histogram) this.#durations.set(agent, histogram = new Map());
    addDuration(histogram, p.duration_ms ?? 0);
    const price = p.model === null ? undefined : this.#price(p.model);
    // Dated prices: the period in force at the event, as `cost` prices it.
    const at = price && price.periods.length > 1 ? eventTime(this.pricing, event) : NaN;
    const base = price ? smallEstimateUnits(p, price, at) : 0;
    if (price && (p.cache_read_tokens ?? 0) > 0) this.#addSavings(event, price, base, at);
    const approx = p.cost_usd !== null ? p.cost_usd * 1e15 : base;
    if (this.#top.wants(approx < 0 ? Infinity : approx)) {
      this.#top.add({
        event_id: idOf(),
        feature: event.aggregate_id,
        wp: p.wp_id,
        agent: p.agent,
        model: keyValue(event, MODEL_GROUP, this.pricing),
        tokens: addCounts(
          p.input_tokens ?? 0,
          p.output_tokens ?? 0,
          p.cache_read_tokens ?? 0,
          p.cache_write_tokens ?? 0,
        ),
        cost: eventCost(p, this.pricing, event.timestamp).units,
        timestamp: event.timestamp,
        duration_ms: p.duration_ms ?? 0,
        success: p.success !== false,
      });
    }
  }

  /** What was folded so far. */
  result(): RunStatsPartial {
    for (const [model, units] of this.#pendingSavings) {
      this.#savings.set(model, (this.#savings.get(model) ?? 0n) + BigInt(units));
    }
    this.#pendingSavings.clear();
    return {
      failed: this.#failed.groups(),
      durations: this.#durations,
      savings: this.#savings,
      top: this.#top.runs(),
    };
  }

  // The same request with its cache reads priced as uncached input (the
  // prompt size, hence the tier, is unchanged), minus the request. Summed
  // per model in doubles while exact, as the cost sums are.
  #addSavings(event: RunEvent, price: ModelPrice, base: number, at: number): void {
    const p = event.payload;
    const asInput = this.#asInput;
    asInput.input_tokens = (p.input_tokens ?? 0) + (p.cache_read_tokens ?? 0);
    asInput.output_tokens = p.output_tokens;
    asInput.cache_write_tokens = p.cache_write_tokens;
    const more = smallEstimateUnits(asInput, price, at);
    const pending = this.#pendingSavings.get(price.id) ?? 0;
    if (more >= 0 && base >= 0 && pending + (more - base) <= Number.MAX_SAFE_INTEGER) {
      this.#pendingSavings.set(price.id, pending + (more - base));
      return;
    }
    const saved = estimateUnits(asInput, price, at) - estimateUnits(p, price, at);
    this.#savings.set(price.id, (this.#savings.get(price.id) ?? 0n) + saved + BigInt(pending));
    this.#pendingSavings.set(price.id, 0);
  }

  #price(model: string): ModelPrice | undefined {
    if (this.#prices.has(model)) return this.#prices.get(model);
    const price = findPrice(this.pricing, model);
    this.#prices.set(model, price);
    return price;
  }
}

/**
 * Merges two partials (in any order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeRunStats } from "./run_stats.ts";
 * const a = { failed: [], durations: new Map([["a", new Map([[1, 2]])]]), savings: new Map([["m", 5n]]), top: [] };
 * const b = structuredClone(a);
 * const merged = mergeRunStats(a, b);
 * assert.equal(merged.durations.get("a")!.get(1), 4);
 * assert.equal(merged.savings.get("m"), 10n);
 * ```
 */
export function mergeRunStats(a: RunStatsPartial, b: RunStatsPartial): RunStatsPartial {
  const failed = new Map<string, Group>();
  for (const group of [...a.failed, ...b.failed]) {
    const id = JSON.stringify(FAILED_GROUPS.map((k) => group.key[k]));
    const into = failed.get(id);
    if (into) mergeTotals(into.totals, group.totals);
    else failed.set(id, { key: group.key, totals: structuredClone(group.totals) });
  }
  const durations = new Map<string, Histogram>();
  for (const [agent, histogram] of [...a.durations, ...b.durations]) {
    const into = durations.get(agent);
    if (into) mergeHistograms(into, histogram);
    else durations.set(agent, new Map(histogram));
  }
  const savings = new Map(a.savings);
  for (const [model, units] of b.savings) savings.set(model, (savings.get(model) ?? 0n) + units);
  return { failed: [...failed.values()], durations, savings, top: mergeTopRuns(a.top, b.top) };
}

/**
 * `partial` without the runs of `extras`, copies the scan added that do not
 * count (a repeated id, see `cost/exactly_once.ts`): their failed sums,
 * durations and cache savings taken out. The top runs list each id once
 * already (in any spelling).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RunStats, withoutRuns } from "./run_stats.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const run = { event_id: "X", aggregate_id: "f", timestamp: "2026-01-01T00:00:00Z", payload: { wp_id: "N/A", agent: "a", role: "r", model: null, duration_ms: 5, success: false, cost_usd: 1 } } as never;
 * const stats = new RunStats(defaultPricing());
 * stats.add(run, () => "X");
 * stats.add(run, () => "X");
 * const once = withoutRuns(stats.result(), [run], defaultPricing());
 * assert.equal(once.failed[0].totals.event_count, 1);
 * assert.equal(once.durations.get("a")!.get(38), 1);
 * ```
 */
export function withoutRuns(
  partial: RunStatsPartial,
  extras: readonly ExecutionEvent[],
  pricing: PricingTable,
): RunStatsPartial {
  if (extras.length === 0) return partial;
  const extra = new RunStats(pricing);
  for (const event of extras) extra.add(event, () => event.event_id);
  const out = extra.result();
  const failed = withoutExtras(
    { groups: partial.failed, total: emptyTotals(), ids: [] },
    extras.filter((e) => e.payload.success === false),
    [...FAILED_GROUPS],
    pricing,
  ).groups;
  const durations = new Map<string, Histogram>();
  for (const [agent, histogram] of partial.durations) {
    const less = new Map(histogram);
    for (const [bucket, n] of out.durations.get(agent) ?? []) {
      const left = (less.get(bucket) ?? 0) - n;
      if (left > 0) less.set(bucket, left);
      else less.delete(bucket);
    }
    if (less.size > 0) durations.set(agent, less);
  }
  const savings = new Map(partial.savings);
  for (const [model, units] of out.savings) savings.set(model, (savings.get(model) ?? 0n) - units);
  return { failed, durations, savings, top: partial.top };
}
