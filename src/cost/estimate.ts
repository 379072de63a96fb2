/**
 * The cost of one execution: reported, estimated from tokens, or unpriced.
 *
 * @module
 */
import type { CostKey, ReadPayloadFields, SummedKey } from "../event/fields.ts";
import { usdToUnits } from "./money.ts";
import { findPrice, type ModelPrice, type PricingTable, type Rates } from "./pricing.ts";

/** How one event's cost was found, in 1e-15 USD units. */
export type EventCost =
  | { kind: "reported"; units: bigint }
  | { kind: "estimated"; units: bigint }
  | { kind: "unpriced"; units: 0n; model: string | null };

/** The token and cost fields the estimate reads. */
export type CostFields = Pick<ReadPayloadFields, CostKey>;

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
 * import { defaultPricing } from "./builtin_pricing.ts";
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
  return { kind: "estimated", units: estimateUnits(fields, price) };
}

/**
 * The estimate for one event at a model's price, in 1e-15 USD: each token
 * kind at its rate; past a tier's prompt size (input plus cache), the
 * tier's rates apply to the whole request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateUnits } from "./estimate.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * import { findPrice } from "./pricing.ts";
 * const price = findPrice(defaultPricing(), "claude-sonnet-4-5")!;
 * const fields = { input_tokens: 100_000, output_tokens: null, cache_read_tokens: null, cache_write_tokens: null };
 * assert.equal(estimateUnits(fields, price), 300_000_000_000_000n); // $0.30
 * ```
 */
export function estimateUnits(fields: TokenFields, price: ModelPrice): bigint {
  const input = BigInt(fields.input_tokens ?? 0);
  const output = BigInt(fields.output_tokens ?? 0);
  const cacheRead = BigInt(fields.cache_read_tokens ?? 0);
  const cacheWrite = BigInt(fields.cache_write_tokens ?? 0);
  const rates = ratesFor(price, Number(input + cacheRead + cacheWrite));
  // A rate is 1e-9 USD per million tokens = 1e-15 USD per token.
  return input * rates.input + output * rates.output + cacheRead * rates.cache_read +
    cacheWrite * rates.cache_write;
}

/**
 * {@linkcode estimateUnits} as an exact Number when the result is below
 * 2^53 (every term is a non-negative integer, so a total within range
 * means no term or sum was rounded), else -1: most events take this path,
 * with no BigInt made.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { smallEstimateUnits } from "./estimate.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * import { findPrice } from "./pricing.ts";
 * const price = findPrice(defaultPricing(), "claude-sonnet-4-5")!;
 * const fields = { input_tokens: 100_000, output_tokens: null, cache_read_tokens: null, cache_write_tokens: null };
 * assert.equal(smallEstimateUnits(fields, price), 300_000_000_000_000);
 * ```
 */
export function smallEstimateUnits(fields: TokenFields, price: ModelPrice): number {
  const input = fields.input_tokens ?? 0;
  const output = fields.output_tokens ?? 0;
  const cacheRead = fields.cache_read_tokens ?? 0;
  const cacheWrite = fields.cache_write_tokens ?? 0;
  const r = numberRates(ratesFor(price, input + cacheRead + cacheWrite));
  const units = input * r[0] + output * r[1] + cacheRead * r[2] + cacheWrite * r[3];
  return units <= Number.MAX_SAFE_INTEGER ? units : -1;
}

/** The token counts an estimate reads. */
export type TokenFields = Pick<ReadPayloadFields, SummedKey>;

function ratesFor(price: ModelPrice, prompt: number): Rates {
  let rates: Rates = price.rates;
  for (const tier of price.tiers) if (prompt > tier.above_input_tokens) rates = tier;
  return rates;
}

const NUMBER_RATES = new WeakMap<Rates, Float64Array>();

function numberRates(rates: Rates): Float64Array {
  let r = NUMBER_RATES.get(rates);
  if (!r) {
    // A rate too large to be exact as a double makes every estimate fall back.
    const exact = (v: bigint) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Infinity);
    r = Float64Array.of(
      exact(rates.input),
      exact(rates.output),
      exact(rates.cache_read),
      exact(rates.cache_write),
    );
    NUMBER_RATES.set(rates, r);
  }
  return r;
}
