/**
 * The built-in catalogue: `@pydantic/genai-prices` data (providers, their
 * models' match rules, dated price periods, long-context tiers, cache
 * rates), kept as a compact JSON file of decimal strings and read into a
 * pricing table. Pure: the extraction script and `pricing update` read the
 * package or file and hand the data in.
 *
 * @module
 */
import { isMatchRule, type MatchRule } from "./match_rule.ts";
import type { ModelPrice, PricingTable } from "./pricing.ts";
import { type PeriodSpec, type PricePeriod, type RateSpec, toPeriod } from "./price_period.ts";

/** A price: a decimal string (USD per million), or a base with thresholds (tokens of prompt). */
export type CataloguePrice = string | { base: string; tiers: { start: number; price: string }[] };

/** The price keys we read, as the catalogue names them, and our names. */
export const PRICE_KEYS = {
  input_mtok: "input",
  output_mtok: "output",
  cache_read_mtok: "cache_read",
  cache_write_mtok: "cache_write",
  cache_write_1h_mtok: "cache_write_1h",
} as const;

/** One period of a model's prices: its start date and our five token prices. */
export type CataloguePeriod = {
  from?: string;
  input?: CataloguePrice;
  output?: CataloguePrice;
  cache_read?: CataloguePrice;
  cache_write?: CataloguePrice;
  cache_write_1h?: CataloguePrice;
};

type OurKey = typeof PRICE_KEYS[keyof typeof PRICE_KEYS];

/** A model: id, the rule for the names it prices, its periods (oldest first). */
export interface CatalogueModel {
  /** The catalogue's id. */
  id: string;
  /** Names it prices. */
  match: MatchRule;
  /** Periods, oldest first. */
  prices: CataloguePeriod[];
}

/** A provider and its models. */
export interface CatalogueProvider {
  /** The catalogue's provider id. */
  id: string;
  /** Its pricing page. */
  pricing_url: string | null;
  /** The names any of its models may have (the catalogue picks the provider by it). */
  model_match: MatchRule | null;
  /** Its token-priced models. */
  models: CatalogueModel[];
}

/** The compact catalogue. */
export interface Catalogue {
  /** Package name. */
  package: string;
  /** Package version, or the date of a data file installed with `pricing update`. */
  version: string;
  /** Providers, in lookup order. */
  providers: CatalogueProvider[];
}

/** The providers the built-in table takes, in lookup order. */
export const CATALOGUE_PROVIDERS = [
  "anthropic",
  "openai",
  "google",
  "mistral",
  "deepseek",
  "x-ai",
  "openrouter",
] as const;

/**
 * The catalogue as a pricing table: one entry per model, in provider
 * order; a model's names are those its rule and its provider's rule both
 * match. An id met again in a later provider is prefixed `provider/`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { catalogueTable } from "./catalogue.ts";
 * const t = catalogueTable({ package: "p", version: "1", providers: [{
 *   id: "x", pricing_url: null, model_match: null,
 *   models: [{ id: "m", match: { starts_with: "m-" }, prices: [{ input: "1", output: "2" }] }],
 * }] });
 * assert.equal(t.entries[0].periods[0].rates.output, 2_000_000_000n);
 * assert.equal(t.catalogue, "p 1");
 * ```
 */
export function catalogueTable(catalogue: Catalogue): PricingTable {
  const seen = new Set<string>();
  const entries: ModelPrice[] = [];
  for (const provider of catalogue.providers) {
    for (const model of provider.models) {
      let id = model.id.trim().toLowerCase();
      if (seen.has(id)) id = `${provider.id}/${id}`;
      if (seen.has(id)) continue;
      seen.add(id);
      entries.push(lazyPeriods({
        id,
        aliases: [],
        match: provider.model_match ? { and: [provider.model_match, model.match] } : model.match,
        catalogue_prices: model.prices,
        source: `catalogue (${provider.id})`,
        provider: provider.id,
        reference: provider.pricing_url,
      } as unknown as ModelPrice));
    }
  }
  return { updated: null, entries, catalogue: `${catalogue.package} ${catalogue.version}` };
}

/**
 * Gives a catalogue entry its `periods`, built from its `catalogue_prices`
 * when first read: start-up builds none of the ~800 entries' rates, a run
 * only those of the models it meets. The getter is not enumerable, so a
 * structured clone (the table posted to scan workers) carries the compact
 * prices only, and {@linkcode hydratePricing} puts the getter back.
 */
export function lazyPeriods(entry: ModelPrice): ModelPrice {
  const raw = entry.catalogue_prices;
  if (!raw || Object.getOwnPropertyDescriptor(entry, "periods")) return entry;
  let built: PricePeriod[] | undefined;
  Object.defineProperty(entry, "periods", {
    get: () => built ??= raw.map(toSpec).map(toPeriod),
    enumerable: false,
    configurable: true,
  });
  return entry;
}

/**
 * A table as a worker receives it (structured clone) with its catalogue
 * entries' lazy periods restored; idempotent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { catalogueTable, hydratePricing } from "./catalogue.ts";
 * const t = catalogueTable({ package: "p", version: "1", providers: [{
 *   id: "x", pricing_url: null, model_match: null,
 *   models: [{ id: "m", match: { equals: "m" }, prices: [{ input: "1", output: "2" }] }],
 * }] });
 * const cloned = hydratePricing(structuredClone(t));
 * assert.equal(cloned.entries[0].periods[0].rates.input, 1_000_000_000n);
 * ```
 */
export function hydratePricing(table: PricingTable): PricingTable {
  for (const entry of table.entries) lazyPeriods(entry);
  return table;
}

/**
 * A catalogue period as a period spec: per-key thresholds become tiers
 * over the whole request, one per distinct threshold, each key at the
 * price it has past that threshold (as the catalogue prices it: past a
 * start, the prompt of input plus cache tokens is above it).
 */
function toSpec(period: CataloguePeriod): PeriodSpec {
  const keys = Object.values(PRICE_KEYS);
  const starts = [
    ...new Set(keys.flatMap((k) => {
      const p = period[k];
      return typeof p === "object" ? p.tiers.map((t) => t.start) : [];
    })),
  ].sort((a, b) => a - b);
  const at = (threshold: number): RateSpec => {
    const spec: Partial<Record<OurKey, string>> = {};
    for (const k of keys) {
      const p = period[k];
      if (p === undefined) continue;
      if (typeof p === "string") spec[k] = p;
      else {
        let price = p.base;
        for (const t of p.tiers) if (threshold >= t.start) price = t.price;
        spec[k] = price;
      }
    }
    return { ...spec, input: spec.input ?? "0", output: spec.output ?? "0" };
  };
  return {
    from: period.from ?? null,
    ...at(-1),
    tiers: starts.map((s) => ({ above_input_tokens: s, ...at(s) })),
  };
}

/** What a period's date and prices must look like (for the checks below). */
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;
const DECIMAL = /^\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Checks a value is a compact catalogue (for files not built with this
 * program); returns the first problem, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { catalogueProblem } from "./catalogue.ts";
 * assert.equal(catalogueProblem({ package: "p", version: "1", providers: [] }), "no providers");
 * ```
 */
export function catalogueProblem(value: unknown): string | null {
  const c = value as Catalogue;
  if (typeof c !== "object" || c === null || typeof c.version !== "string") {
    return "not a catalogue (no version)";
  }
  if (!Array.isArray(c.providers) || c.providers.length === 0) return "no providers";
  for (const p of c.providers) {
    if (typeof p.id !== "string" || !Array.isArray(p.models)) {
      return "a provider without id or models";
    }
    if (p.model_match !== null && !isMatchRule(p.model_match)) return `${p.id}: bad model_match`;
    for (const m of p.models) {
      if (typeof m.id !== "string" || !isMatchRule(m.match)) {
        return `${p.id}: a model with a bad id or match`;
      }
      if (!Array.isArray(m.prices) || m.prices.length === 0) return `${p.id}/${m.id}: no prices`;
      for (const period of m.prices) {
        if (period.from !== undefined && !DATE.test(period.from)) {
          return `${p.id}/${m.id}: bad date`;
        }
        for (const k of Object.values(PRICE_KEYS)) {
          const v = period[k];
          const ok = v === undefined || (typeof v === "string" && DECIMAL.test(v)) ||
            (typeof v === "object" && v !== null && DECIMAL.test(v.base) &&
              v.tiers.every((t) => Number.isSafeInteger(t.start) && DECIMAL.test(t.price)));
          if (!ok) return `${p.id}/${m.id}: bad ${k} price`;
        }
      }
    }
  }
  return null;
}
