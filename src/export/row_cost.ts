/**
 * An exported event's cost, as `eventCost` finds it without a timestamp,
 * for a row per event without its per-event costs: the model's price
 * looked up once per model by the caller, a reported cost split without
 * parsing its text, an estimate in exact doubles when it fits (the same
 * shortcuts `cost`'s sums take).
 *
 * @module
 */
import {
  type CostFields,
  estimateUnits,
  type EventCost,
  pricedAt,
  smallEstimateUnits,
} from "../cost/estimate.ts";
import { MONEY_SCALE, splitUsd, usdParts, usdToUnits } from "../cost/money.ts";
import type { ModelPrice, PricingTable } from "../cost/pricing.ts";

const UNITS_PER_USD = 10n ** BigInt(MONEY_SCALE);

/**
 * `eventCost(fields, table)` given `price`, the table's price of
 * `fields.model` (undefined when it has none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventCost } from "../cost/estimate.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * import { findPrice } from "../cost/pricing.ts";
 * import { rowCost } from "./row_cost.ts";
 * const table = defaultPricing();
 * const fields = { model: "claude-sonnet-4-5", cost_usd: null, input_tokens: 100_000, output_tokens: 7,
 *   cache_read_tokens: null, cache_write_tokens: null, cache_write_1h_tokens: null };
 * const price = findPrice(table, "claude-sonnet-4-5");
 * assert.deepEqual(rowCost(fields, price, table), eventCost(fields, table));
 * assert.deepEqual(rowCost({ ...fields, cost_usd: 15.6 }, price, table), eventCost({ ...fields, cost_usd: 15.6 }, table));
 * ```
 */
export function rowCost(
  fields: CostFields,
  price: ModelPrice | undefined,
  table: PricingTable,
  timeMs = NaN,
): EventCost {
  const usd = fields.cost_usd;
  if (usd !== null && usd !== undefined) {
    const units = splitUsd(usd)
      ? BigInt(usdParts.dollars) * UNITS_PER_USD + BigInt(usdParts.femtos)
      : usdToUnits(usd);
    return { kind: "reported", units };
  }
  if (fields.model === null || !price) return { kind: "unpriced", units: 0n, model: fields.model };
  // Dated prices: the period in force at the event, as cost prices it (or --prices-at's day).
  const at = table.prices_at ? pricedAt(table, undefined) : timeMs;
  const small = smallEstimateUnits(fields, price, at);
  return {
    kind: "estimated",
    units: small >= 0 ? BigInt(small) : estimateUnits(fields, price, at),
  };
}
