/**
 * The cost of one execution: reported, estimated from tokens, or unpriced.
 *
 * @module
 */
import type { ExecutionPayload } from "../event/execution.ts";
import { usdToUnits } from "./money.ts";
import { findPrice, type PricingTable, type Rates } from "./pricing.ts";

/** How one event's cost was found, in 1e-15 USD units. */
export type EventCost =
  | { kind: "reported"; units: bigint }
  | { kind: "estimated"; units: bigint }
  | { kind: "unpriced"; units: 0n; model: string | null };

/** The token and cost fields the estimate reads. */
export type CostFields = Pick<
  ExecutionPayload,
  | "model"
  | "cost_usd"
  | "input_tokens"
  | "output_tokens"
  | "cache_read_tokens"
  | "cache_write_tokens"
>;

/**
 * One event's cost. A non-null `cost_usd` wins, even 0. Otherwise tokens are
 * priced from the table (each kind at its rate; past a tier's prompt size,
 * the tier's rates apply to the whole request). A model that is null or not
 * in the table is unpriced: 0, flagged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventCost } from "./estimate.ts";
 * import { defaultPricing } from "./pricing_file.ts";
 * const c = eventCost({
 *   model: "claude-sonnet-4-5", cost_usd: null, input_tokens: 100_000,
 *   output_tokens: 0, cache_read_tokens: null, cache_write_tokens: null,
 * }, defaultPricing());
 * // $0.30: 100,000 tokens x $3 per million = 3e14 units of 1e-15 USD
 * assert.ok(c.kind === "estimated" && c.units === 300_000_000_000_000n);
 * ```
 */
export function eventCost(fields: CostFields, table: PricingTable): EventCost {
  if (fields.cost_usd !== null && fields.cost_usd !== undefined) {
    return { kind: "reported", units: usdToUnits(fields.cost_usd) };
  }
  const price = fields.model === null ? undefined : findPrice(table, fields.model);
  if (!price) return { kind: "unpriced", units: 0n, model: fields.model };
  const input = BigInt(fields.input_tokens ?? 0);
  const output = BigInt(fields.output_tokens ?? 0);
  const cacheRead = BigInt(fields.cache_read_tokens ?? 0);
  const cacheWrite = BigInt(fields.cache_write_tokens ?? 0);
  const prompt = input + cacheRead + cacheWrite;
  let rates: Rates = price.rates;
  for (const tier of price.tiers) {
    if (prompt > BigInt(tier.above_input_tokens)) rates = tier;
  }
  // A rate is 1e-9 USD per million tokens = 1e-15 USD per token.
  const units = input * rates.input + output * rates.output +
    cacheRead * rates.cache_read + cacheWrite * rates.cache_write;
  return { kind: "estimated", units };
}
