/**
 * A pricing file's entry (parsed YAML) as a model price: flat rates are
 * one period for all time; `prices:` is a list of dated periods; an entry
 * with only `aliases` adds names to the built-in entry of its id.
 *
 * @module
 */
import { modelKey } from "../query/filter.ts";
import type { AliasOnly, ModelPrice } from "./pricing.ts";
import { type PeriodSpec, type RateSpec, rateText, toPeriod } from "./price_period.ts";
import { decimalToUnits } from "./money.ts";
import type { ModelEntry } from "./pricing_schema.ts";

/** A YAML number as the decimal string it reads as. */
const dec = (value: number | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

/** Per 1k as per million, exactly: 1e-12 USD per 1k is 1e-9 USD per million. */
const per1kAsPerMillion = (value: number): string => rateText(decimalToUnits(String(value), 12));

/**
 * Builds a model's price, or the names an alias-only entry adds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toModelPrice } from "./pricing_entry.ts";
 * const p = toModelPrice("m", { input_per_1k: 0.003, output_per_1k: 0.015, aliases: [], tiers: [] }, "f");
 * assert.ok("periods" in p && p.periods[0].rates.input === 3_000_000_000n);
 * assert.ok("periods" in p && p.periods[0].rates.cache_read === p.periods[0].rates.input);
 * ```
 */
export function toModelPrice(
  id: string,
  entry: ModelEntry,
  source: string,
): ModelPrice | AliasOnly {
  const aliases = entry.aliases.map(modelKey);
  const specs: PeriodSpec[] = entry.prices
    ? entry.prices.map((p) => ({
      from: p.from === undefined
        ? null
        : p.from instanceof Date
        ? p.from.toISOString().slice(0, 10)
        : p.from,
      ...rateSpec(p),
      tiers: p.tiers.map((t) => ({ above_input_tokens: t.above_input_tokens, ...rateSpec(t) })),
    }))
    : entry.input === undefined && entry.input_per_1k === undefined
    ? []
    : [{
      ...rateSpec(entry),
      input: entry.input !== undefined
        ? String(entry.input)
        : per1kAsPerMillion(entry.input_per_1k!),
      output: entry.output !== undefined
        ? String(entry.output)
        : per1kAsPerMillion(entry.output_per_1k!),
      tiers: entry.tiers.map((t) => ({ above_input_tokens: t.above_input_tokens, ...rateSpec(t) })),
    }];
  if (specs.length === 0) return { id: modelKey(id), aliases };
  return {
    id: modelKey(id),
    aliases,
    match: null,
    periods: specs.map(toPeriod),
    source,
    reference: entry.source ?? null,
  };
}

function rateSpec(
  r: {
    input?: number;
    output?: number;
    cache_read?: number;
    cache_write?: number;
    cache_write_1h?: number;
  },
): RateSpec {
  const spec: RateSpec = { input: dec(r.input) ?? "0", output: dec(r.output) ?? "0" };
  if (r.cache_read !== undefined) spec.cache_read = dec(r.cache_read);
  if (r.cache_write !== undefined) spec.cache_write = dec(r.cache_write);
  if (r.cache_write_1h !== undefined) spec.cache_write_1h = dec(r.cache_write_1h);
  return spec;
}
