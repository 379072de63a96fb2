/**
 * The cost of one execution: reported, estimated from tokens, or unpriced.
 *
 * @module
 */
import type { CostKey, ReadPayloadFields, ShareKey, SummedKey } from "../event/fields.ts";
import { usdToUnits } from "./money.ts";
import { isoInstantMs } from "../event/iso_time.ts";
import { findPrice, type ModelPrice, type PricingTable } from "./pricing.ts";
import { periodAt, type Rates, ratesFor } from "./price_period.ts";

/** How one event's cost was found, in 1e-15 USD units. */
export type EventCost =
  | { kind: "reported"; units: bigint }
  | { kind: "estimated"; units: bigint }
  | { kind: "unpriced"; units: 0n; model: string | null };

/** The token and cost fields the estimate reads (the 1-hour cache writes when known). */
export type CostFields =
  & Pick<ReadPayloadFields, CostKey>
  & Partial<Pick<ReadPayloadFields, ShareKey>>;

/**
 * The instant (epoch ms) whose prices apply: the table's `prices_at` day
 * when set (a what-if), else the event's timestamp; NaN (the latest
 * prices) when neither is known.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pricedAt } from "./estimate.ts";
 * assert.equal(pricedAt({ updated: null, entries: [] }, "2025-06-10T01:00:00Z"), Date.UTC(2025, 5, 10, 1));
 * assert.equal(pricedAt({ updated: null, entries: [], prices_at: "2025-01-01" }, "2025-06-10T01:00:00Z"), Date.UTC(2025, 0, 1));
 * ```
 */
export function pricedAt(table: PricingTable, timestamp: string | null | undefined): number {
  if (table.prices_at) return Date.parse(`${table.prices_at}T00:00:00Z`);
  // Python's forms too, a time without an offset being UTC (not the machine's zone).
  return timestamp ? isoInstantMs(timestamp) : NaN;
}

/**
 * One event's cost. A non-null `cost_usd` wins, even 0. Otherwise tokens are
 * priced from the table with the prices in force at `timestamp` (see
 * {@linkcode pricedAt}): each kind at its rate; past a tier's prompt size,
 * the tier's rates apply to the whole request. A model that is null or not
 * in the table is unpriced: 0, flagged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventCost } from "./estimate.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const c = eventCost({
 *   model: "claude-sonnet-4-5", cost_usd: null, input_tokens: 100_000,
 *   output_tokens: 0, cache_read_tokens: null, cache_write_tokens: null, cache_write_1h_tokens: null,
 * }, defaultPricing(), "2026-01-01T00:00:00Z");
 * // $0.30: 100,000 tokens x $3 per million = 3e14 units of 1e-15 USD
 * assert.ok(c.kind === "estimated" && c.units === 300_000_000_000_000n);
 * ```
 */
export function eventCost(
  fields: CostFields,
  table: PricingTable,
  timestamp?: string | null,
): EventCost {
  if (fields.cost_usd !== null && fields.cost_usd !== undefined) {
    return { kind: "reported", units: usdToUnits(fields.cost_usd) };
  }
  const price = fields.model === null ? undefined : findPrice(table, fields.model);
  if (!price) return { kind: "unpriced", units: 0n, model: fields.model };
  return { kind: "estimated", units: estimateUnits(fields, price, pricedAt(table, timestamp)) };
}

/** The token counts an estimate reads. */
export type TokenFields =
  & Pick<ReadPayloadFields, SummedKey>
  & Partial<Pick<ReadPayloadFields, ShareKey>>;

/**
 * The estimate for one event at a model's price in force at `at` (epoch
 * ms; NaN, the default: the latest), in 1e-15 USD: each token kind at its rate, the
 * 1-hour share of the cache writes at the 1-hour rate; past a tier's
 * prompt size (input plus cache), the tier's rates apply to the whole
 * request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateUnits } from "./estimate.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * import { findPrice } from "./pricing.ts";
 * const price = findPrice(defaultPricing(), "claude-sonnet-4-5")!;
 * const fields = { input_tokens: 100_000, output_tokens: null, cache_read_tokens: null, cache_write_tokens: null, cache_write_1h_tokens: null };
 * assert.equal(estimateUnits(fields, price, NaN), 300_000_000_000_000n); // $0.30
 * ```
 */
export function estimateUnits(fields: TokenFields, price: ModelPrice, at = NaN): bigint {
  const input = BigInt(fields.input_tokens ?? 0);
  const output = BigInt(fields.output_tokens ?? 0);
  const cacheRead = BigInt(fields.cache_read_tokens ?? 0);
  const w1h = BigInt(fields.cache_write_1h_tokens ?? 0);
  let cacheWrite = BigInt(fields.cache_write_tokens ?? 0);
  if (w1h > cacheWrite) cacheWrite = w1h;
  const rates = ratesFor(periodAt(price.periods, at), Number(input + cacheRead + cacheWrite));
  // A rate is 1e-9 USD per million tokens = 1e-15 USD per token.
  return input * rates.input + output * rates.output + cacheRead * rates.cache_read +
    (cacheWrite - w1h) * rates.cache_write + w1h * rates.cache_write_1h;
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
 * const fields = { input_tokens: 100_000, output_tokens: null, cache_read_tokens: null, cache_write_tokens: null, cache_write_1h_tokens: null };
 * assert.equal(smallEstimateUnits(fields, price, NaN), 300_000_000_000_000);
 * ```
 */
export function smallEstimateUnits(fields: TokenFields, price: ModelPrice, at = NaN): number {
  const input = fields.input_tokens ?? 0;
  const output = fields.output_tokens ?? 0;
  const cacheRead = fields.cache_read_tokens ?? 0;
  const w1h = fields.cache_write_1h_tokens ?? 0;
  const cacheWrite = Math.max(fields.cache_write_tokens ?? 0, w1h);
  const r = numberRates(ratesFor(periodAt(price.periods, at), input + cacheRead + cacheWrite));
  const units = input * r[0] + output * r[1] + cacheRead * r[2] + (cacheWrite - w1h) * r[3] +
    w1h * r[4];
  return units <= Number.MAX_SAFE_INTEGER ? units : -1;
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
      exact(rates.cache_write_1h),
    );
    NUMBER_RATES.set(rates, r);
  }
  return r;
}
