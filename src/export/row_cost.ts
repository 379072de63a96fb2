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
import { findPrice, type ModelPrice, type PricingTable } from "../cost/pricing.ts";
import { canonicalModel } from "../cost/canonical_model.ts";
import { isoInstantMs } from "../event/iso_time.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import type { ExportRow } from "./otlp_mapping.ts";

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
  if (usd !== null && usd !== undefined) return { kind: "reported", units: reportedUnits(usd) };
  if (fields.model === null || !price) return { kind: "unpriced", units: 0n, model: fields.model };
  // Dated prices: the period in force at the event, as cost prices it (or --prices-at's day).
  const at = table.prices_at ? pricedAt(table, undefined) : timeMs;
  const small = smallEstimateUnits(fields, price, at);
  return {
    kind: "estimated",
    units: small >= 0 ? BigInt(small) : estimateUnits(fields, price, at),
  };
}

/**
 * A row's cost whose exact units are made (a BigInt) only when read: a file
 * export of spans and records writes a reported cost as recorded and an
 * estimate from {@linkcode DeferredCost.small}, so most rows never need
 * them. It holds numbers only (no reused view behind it). Read as an
 * `EventCost`.
 */
export class DeferredCost {
  #units: bigint | undefined;

  /** A reported cost of `usd` dollars, or an estimate of `small` 1e-15 USD units (below 2^53). */
  constructor(
    readonly kind: "reported" | "estimated",
    readonly usd: number,
    /** An estimate's units, exact in a double (-1 for a reported cost). */
    readonly small: number,
  ) {}

  /** The exact units, as {@linkcode rowCost} finds them. */
  get units(): bigint {
    return this.#units ??= this.kind === "estimated" ? BigInt(this.small) : reportedUnits(this.usd);
  }
}

/** A reported cost's units. */
function reportedUnits(usd: number): bigint {
  return splitUsd(usd)
    ? BigInt(usdParts.dollars) * UNITS_PER_USD + BigInt(usdParts.femtos)
    : usdToUnits(usd);
}

/** `rowCost`'s answer, its units made when read (see {@linkcode DeferredCost}). */
function deferredCost(
  fields: CostFields,
  price: ModelPrice | undefined,
  table: PricingTable,
  timeMs: number,
): EventCost {
  const usd = fields.cost_usd;
  if (usd !== null && usd !== undefined) return new DeferredCost("reported", usd, -1) as EventCost;
  if (fields.model === null || !price) return { kind: "unpriced", units: 0n, model: fields.model };
  const at = table.prices_at ? pricedAt(table, undefined) : timeMs;
  const small = smallEstimateUnits(fields, price, at);
  if (small < 0) return { kind: "estimated", units: estimateUnits(fields, price, at) };
  return new DeferredCost("estimated", NaN, small) as EventCost;
}

/** What pricing says of one model, looked up once per model. */
interface ModelFacts {
  canonicalModel: string | null;
  provider: string | null;
  price: ModelPrice | undefined;
}

/**
 * Prices export rows: each row's cost at its event's time, canonical model
 * and provider, with what pricing says of a model looked up once. Every
 * export path (file, one read, push) prices through one of these.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * import { RowPricer } from "./row_cost.ts";
 * const row = new RowPricer(defaultPricing()).rowOf({
 *   timestamp: "2026-01-01T00:00:00Z",
 *   payload: { model: "claude-opus-4-6", cost_usd: null, input_tokens: 300_000, output_tokens: 10_000,
 *     cache_read_tokens: null, cache_write_tokens: null, cache_write_1h_tokens: null },
 * } as never);
 * assert.equal(row.cost.units, 3_375_000_000_000_000n); // the over-200k tier in force then
 * assert.equal(row.provider, "anthropic");
 * ```
 */
export class RowPricer {
  readonly #models = new Map<string | null, ModelFacts>();

  /** Prices with `pricing`. */
  constructor(readonly pricing: PricingTable) {}

  /** A new row of `event`, priced at its timestamp. */
  rowOf(event: ExecutionEvent): ExportRow {
    const row: ExportRow = {
      event,
      cost: { kind: "unpriced", units: 0n, model: null },
      canonicalModel: null,
      provider: null,
    };
    this.price(row, isoInstantMs(event.timestamp));
    return row;
  }

  /** Sets a row's cost (at `timeMs`, the event's time), canonical model and provider. */
  price(row: ExportRow, timeMs: number): void {
    const pricing = this.pricing;
    const model = row.event.payload.model;
    let facts = this.#models.get(model);
    if (!facts) {
      const price = model === null ? undefined : findPrice(pricing, model);
      facts = {
        canonicalModel: model === null ? null : canonicalModel(pricing, model),
        provider: price?.provider ?? null,
        price,
      };
      this.#models.set(model, facts);
    }
    row.cost = deferredCost(row.event.payload, facts.price, pricing, timeMs);
    row.canonicalModel = facts.canonicalModel;
    row.provider = facts.provider;
  }
}
