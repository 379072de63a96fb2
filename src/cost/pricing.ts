/**
 * The pricing table: USD per million tokens per model, with aliases and
 * long-context tiers. Parsed once from YAML into exact integer rates.
 *
 * @module
 */
import type { ModelEntry } from "./pricing_schema.ts";
import { decimalToUnits } from "./money.ts";
import { modelKey } from "../query/filter.ts";

/** Rates in 1e-9 USD per million tokens, i.e. 1e-15 USD per token. */
export interface Rates {
  /** Uncached input tokens. */
  input: bigint;
  /** Output tokens, reasoning included. */
  output: bigint;
  /** Input tokens read from the prompt cache. */
  cache_read: bigint;
  /** Input tokens written to the prompt cache. */
  cache_write: bigint;
}

/** Rates that apply to the whole request once the prompt exceeds a size. */
export interface Tier extends Rates {
  /** Prompt size (input plus cache tokens) above which these rates price the whole request. */
  above_input_tokens: number;
}

/** One model's prices. */
export interface ModelPrice {
  /** Canonical id. */
  id: string;
  /** Other names that resolve to this entry (matched after normalising). */
  aliases: string[];
  /** The rates below every tier's threshold. */
  rates: Rates;
  /** Sorted by threshold, ascending. */
  tiers: Tier[];
  /** Where the entry came from: "built-in" or a file path. */
  source: string;
  /** The provider that sells it (e.g. `anthropic`), when the source says. */
  provider?: string;
  /** Rates as written (per million), for display. */
  display: Record<string, number | undefined>;
}

/** An effective pricing table. */
export interface PricingTable {
  /** When the prices were last checked (`YYYY-MM-DD` as the file gives it); null if unstated. */
  updated: string | null;
  /** Every priced model; a lookup takes the first entry that has the name. */
  entries: ModelPrice[];
}

const perMillion = (value: number) => decimalToUnits(String(value), 9);
const per1k = (value: number) => decimalToUnits(String(value), 12);

/**
 * Builds a model's price from a parsed file entry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toModelPrice } from "./pricing.ts";
 * const p = toModelPrice("m", { input_per_1k: 0.003, output_per_1k: 0.015, aliases: [], tiers: [] }, "f");
 * assert.ok(p.rates.input === 3_000_000_000n && p.rates.cache_read === p.rates.input);
 * ```
 */
export function toModelPrice(id: string, entry: ModelEntry, source: string): ModelPrice {
  const input = entry.input !== undefined ? perMillion(entry.input) : per1k(entry.input_per_1k!);
  const output = entry.output !== undefined
    ? perMillion(entry.output)
    : per1k(entry.output_per_1k!);
  const rates = withCacheDefaults(input, output, entry.cache_read, entry.cache_write);
  const tiers = entry.tiers.map((t) => ({
    above_input_tokens: t.above_input_tokens,
    ...withCacheDefaults(perMillion(t.input), perMillion(t.output), t.cache_read, t.cache_write),
  })).sort((a, b) => a.above_input_tokens - b.above_input_tokens);
  // From the exact rates: per-1k * 1000 in floating point shows noise.
  const display = {
    input: Number(input) / 1e9,
    output: Number(output) / 1e9,
    cache_read: entry.cache_read,
    cache_write: entry.cache_write,
  };
  return { id: modelKey(id), aliases: entry.aliases.map(modelKey), rates, tiers, source, display };
}

function withCacheDefaults(
  input: bigint,
  output: bigint,
  cacheRead: number | undefined,
  cacheWrite: number | undefined,
): Rates {
  return {
    input,
    output,
    // Documented rule: with no cache rate, cache tokens cost the input rate.
    cache_read: cacheRead !== undefined ? perMillion(cacheRead) : input,
    cache_write: cacheWrite !== undefined ? perMillion(cacheWrite) : input,
  };
}

/**
 * Finds a model's price by exact id or alias (trimmed, lower-cased); never
 * by substring.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findPrice } from "./pricing.ts";
 * const table = { updated: null, entries: [] };
 * assert.ok(findPrice(table, "gpt-5") === undefined);
 * ```
 */
export function findPrice(table: PricingTable, model: string): ModelPrice | undefined {
  let index = INDEXES.get(table);
  if (!index) {
    // Built once per table: lookups run once per event.
    index = new Map();
    for (const entry of table.entries) {
      for (const name of [entry.id, ...entry.aliases]) if (!index.has(name)) index.set(name, entry);
    }
    INDEXES.set(table, index);
  }
  return index.get(model) ?? index.get(modelKey(model));
}

const INDEXES = new WeakMap<PricingTable, Map<string, ModelPrice>>();

/**
 * Lays `override` over `base`: an override entry replaces, wholesale, every
 * base entry that shares its id or any alias.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergePricing, toModelPrice } from "./pricing.ts";
 * const e = (id: string, aliases: string[]) =>
 *   toModelPrice(id, { input: 1, output: 2, aliases, tiers: [] }, "x");
 * const merged = mergePricing(
 *   { updated: null, entries: [e("a", ["a1"]), e("b", [])] },
 *   { updated: null, entries: [e("a1-new", ["a1"])] },
 * );
 * assert.ok(merged.entries.map((m) => m.id).join() === "b,a1-new");
 * ```
 */
export function mergePricing(base: PricingTable, override: PricingTable): PricingTable {
  const names = (e: ModelPrice) => [e.id, ...e.aliases];
  const taken = new Set(override.entries.flatMap(names));
  return {
    updated: override.updated ?? base.updated,
    entries: [
      ...base.entries.filter((e) => !names(e).some((n) => taken.has(n))),
      ...override.entries,
    ],
  };
}
