/**
 * `cost`'s plan for the wasm kernel's fold (see `read/wasm/fold_table.ts`):
 * with no filter and at most one group-by key that is a name field, the
 * lines the kernel vouches for are summed in the kernel, and this plan
 * answers its questions with the same rules {@linkcode CostAggregator.add}
 * applies: a name's group is `keyValue`, a model's price is `findPrice`
 * with the period and tier `estimateUnits` would take (a line outside
 * them is left to the aggregator). Pure.
 *
 * @module
 */
import {
  ENVELOPE_FIELDS,
  EXECUTION_EVENT,
  PAYLOAD_FIELDS,
  type ShareKey,
  type SummedKey,
} from "../event/fields.ts";
import type { EventFilter } from "../query/filter.ts";
import type { FoldPlan, FoldPrice, FoldSums } from "../read/wasm/fold_table.ts";
import { type CostAggregator, emptyTotals, NO_MODEL, type Totals } from "./aggregate.ts";
import { canonicalModel } from "./canonical_model.ts";
import { pricedAt } from "./estimate.ts";
import { type CostedEvent, type GroupKey, keyInput, keyValue } from "./group_keys.ts";
import type { HashList } from "./id_hash.ts";
import { periodAt, type Rates } from "./price_period.ts";
import { findPrice, type PricingTable } from "./pricing.ts";

/** The kernel's token order (see `FoldPlan.tokenKeys`): the four summed counts, then the share. */
const TOKEN_PLACE: { readonly [K in SummedKey | ShareKey]: number } = {
  input_tokens: 0,
  output_tokens: 1,
  cache_read_tokens: 2,
  cache_write_tokens: 3,
  cache_write_1h_tokens: 4,
};
const TOKEN_KEYS = Object.keys(TOKEN_PLACE).sort((a, b) =>
  TOKEN_PLACE[a as SummedKey] - TOKEN_PLACE[b as SummedKey]
) as (SummedKey | ShareKey)[];

/** Rates in the kernel's token order: each count at the rate `estimateUnits` gives it. */
const ratesOf = (
  r: Rates,
): bigint[] => [r.input, r.output, r.cache_read, r.cache_write, r.cache_write_1h];

// The priced name field: its values are model names.
const MODEL_KEY = PAYLOAD_FIELDS.find((f) => f.kind === "name" && "priced" in f && f.priced)!.key;

/**
 * An event whose every name field holds its own key: `keyInput` on it
 * tells which field a group-by key reads.
 */
function probe(): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const f of PAYLOAD_FIELDS) payload[f.key] = f.key;
  const event: Record<string, unknown> = {};
  for (const f of ENVELOPE_FIELDS) event[f.key] = f.kind === "object" ? payload : f.key;
  return event;
}

/** True when `filter` keeps every execution event. */
function keepsAll(filter: EventFilter): boolean {
  const { types, ...rest } = filter;
  return Object.values(rest).every((v) => v === undefined) &&
    (types === undefined || types.includes(EXECUTION_EVENT));
}

/**
 * The fold plan for a cost scan, or undefined when the kernel cannot sum
 * it (a filter, two keys, a time key).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kernelFold } from "./kernel_fold.ts";
 * import { CostAggregator } from "./aggregate.ts";
 * import { HashList } from "./id_hash.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const pricing = defaultPricing();
 * const init = (groupBy: ("model" | "day")[]) => ({ groupBy, pricing, filter: {} });
 * const plan = kernelFold(init(["model"]), new CostAggregator(["model"], pricing), new HashList());
 * assert.equal(plan?.groupKey, "model");
 * assert.equal(kernelFold(init(["day"]), new CostAggregator(["day"], pricing), new HashList()), undefined);
 * ```
 */
export function kernelFold(
  init: { groupBy: readonly GroupKey[]; pricing: PricingTable; filter: EventFilter },
  aggregator: CostAggregator,
  ids: HashList,
): FoldPlan | undefined {
  const { groupBy, pricing } = init;
  if (groupBy.length > 1 || !keepsAll(init.filter)) return undefined;
  const by = groupBy[0];
  const example = probe();
  const source = by === undefined ? null : keyInput(example as CostedEvent, by);
  if (source === undefined) return undefined;
  const payloadKey = source !== null && PAYLOAD_FIELDS.some((f) => f.key === source);
  const values = new Map<string | null, number>();
  const keys: Record<string, string | null>[] = [];
  return {
    groupKey: source,
    modelKey: MODEL_KEY,
    tokenKeys: TOKEN_KEYS,
    group(name: string | null): number | undefined {
      let value: string | null = null;
      if (by !== undefined) {
        const event = payloadKey
          ? { ...example, payload: { ...example.payload as object, [source!]: name } }
          : { ...example, [source!]: name };
        value = keyValue(event as CostedEvent, by, pricing);
      }
      let group = values.get(value);
      if (group === undefined) {
        group = keys.push(by === undefined ? {} : { [by]: value }) - 1;
        values.set(value, group);
      }
      return group;
    },
    price(model: string, ms: number): FoldPrice | null | undefined {
      const price = findPrice(pricing, model);
      if (!price) return null;
      const periods = price.periods;
      let from = -Infinity;
      let to = Infinity;
      let at = NaN;
      // As `CostAggregator.add`: one period needs no time; `--prices-at` one day for all.
      if (periods.length > 1) at = pricing.prices_at ? pricedAt(pricing, null) : ms;
      const period = periodAt(periods, at);
      if (periods.length > 1 && !pricing.prices_at) {
        const i = periods.indexOf(period);
        if (i > 0) from = period.from_ms;
        for (let j = i + 1; j < periods.length; j++) to = Math.min(to, periods[j].from_ms);
      }
      const tiers = period.tiers;
      if (tiers.some((t, i) => i > 0 && t.above_input_tokens < tiers[i - 1].above_input_tokens)) {
        return undefined;
      }
      return {
        from,
        to,
        rates: ratesOf(period.rates),
        above: tiers[0]?.above_input_tokens ?? Infinity,
        tier: tiers[0] ? ratesOf(tiers[0]) : null,
        until: tiers[1]?.above_input_tokens ?? Infinity,
      };
    },
    add(group: number, sums: FoldSums): void {
      const totals: Totals = {
        ...emptyTotals(),
        event_count: sums.events,
        estimated_event_count: sums.estimated_events,
        unpriced_event_count: sums.unpriced_events,
        reported: sums.reported,
        estimated: sums.estimated,
        model_names: new Set(sums.models),
        unpriced_models: new Set(
          sums.unpriced_models.map((m) => m === null ? NO_MODEL : canonicalModel(pricing, m)),
        ),
      };
      for (const key of TOKEN_KEYS) {
        const place = TOKEN_PLACE[key];
        if (place < sums.tokens.length) totals[key as SummedKey] = sums.tokens[place];
      }
      aggregator.addSums(keys[group], totals);
    },
    hashes(list: Float64Array): void {
      for (let i = 0; i < list.length; i++) ids.push(list[i]);
    },
  };
}
