/**
 * The pricing table: each model's dated prices (USD per million tokens),
 * with its aliases and match rules. Lookup, and laying overrides over the
 * built-in table.
 *
 * @module
 */
import { modelKey } from "../query/filter.ts";
import { DataError } from "../errors.ts";
import { matchesRule, type MatchRule, nameVariants } from "./match_rule.ts";
import type { PricePeriod } from "./price_period.ts";
import type { CataloguePeriod } from "./catalogue.ts";

export type { PricePeriod, Rates, Tier } from "./price_period.ts";

/** One model's prices. */
export interface ModelPrice {
  /** Canonical id (what `cost` groups by). */
  id: string;
  /** Other names that resolve to this entry (matched after normalising). */
  aliases: string[];
  /** The catalogue's rule for the names it prices; null: id and aliases only. */
  match: MatchRule | null;
  /** Price periods, oldest first (at least one). */
  periods: PricePeriod[];
  /** A catalogue entry's prices as the catalogue gives them (its periods are built from them). */
  catalogue_prices?: CataloguePeriod[];
  /** Where the entry came from: "built-in", "catalogue (provider)" or an override file's path. */
  source: string;
  /** The provider that sells it (e.g. `anthropic`), when the source says. */
  provider?: string;
  /** Where its numbers were read (the entry's `source:` text, or the provider's pricing page). */
  reference: string | null;
}

/** Names an override adds to a built-in entry (an entry with only `aliases`). */
export interface AliasOnly {
  /** The built-in entry's id. */
  id: string;
  /** The names to add. */
  aliases: string[];
}

/** An effective pricing table. */
export interface PricingTable {
  /** When the prices were last checked (`YYYY-MM-DD`); null if unstated. */
  updated: string | null;
  /** Every priced model; a lookup takes the first entry that has the name. */
  entries: ModelPrice[];
  /** The catalogue the built-in prices come from (name, version, date), or null. */
  catalogue?: string | null;
  /** Override files laid over it, in order. */
  overrides?: string[];
  /** Names to add to entries when this table is laid over another. */
  alias_only?: AliasOnly[];
  /** Price every event at this day's rates (`YYYY-MM-DD`); null: at its own timestamp. */
  prices_at?: string | null;
}

/** How a name found its entry. */
export interface Resolution {
  /** The entry. */
  entry: ModelPrice;
  /** By its id, one of its aliases, or its match rule. */
  how: "id" | "alias" | "rule";
  /** The spelling that matched (the name, or a variant of it: see `nameVariants`). */
  as: string;
}

const CACHES = new WeakMap<PricingTable, Map<string, Resolution | null>>();
const INDEXES = new WeakMap<PricingTable, Map<string, ModelPrice>>();

/**
 * Finds a model's entry and says how: by exact id or alias (trimmed,
 * lower-cased) first; else by the catalogue's match rules, entry by entry
 * in table order, for the name, its hyphen-dated form and the name after
 * a `provider/` prefix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePrice } from "./pricing.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const r = resolvePrice(defaultPricing(), "claude-sonnet-4-5-20250929")!;
 * assert.equal(r.entry.id, "claude-sonnet-4-5");
 * ```
 */
export function resolvePrice(table: PricingTable, model: string): Resolution | undefined {
  let cache = CACHES.get(table);
  if (!cache) {
    cache = new Map();
    CACHES.set(table, cache);
  }
  let hit = cache.get(model);
  if (hit === undefined) {
    hit = resolveUncached(table, model) ?? null;
    cache.set(model, hit);
  }
  return hit ?? undefined;
}

function resolveUncached(table: PricingTable, model: string): Resolution | undefined {
  let index = INDEXES.get(table);
  if (!index) {
    index = new Map();
    for (const entry of table.entries) {
      for (const name of [entry.id, ...entry.aliases]) if (!index.has(name)) index.set(name, entry);
    }
    INDEXES.set(table, index);
  }
  const variants = nameVariants(model);
  for (const name of variants) {
    const entry = index.get(modelKey(name));
    if (entry) return { entry, how: entry.id === modelKey(name) ? "id" : "alias", as: name };
  }
  for (const name of variants) {
    const entry = table.entries.find((e) => e.match !== null && matchesRule(e.match, name));
    if (entry) return { entry, how: "rule", as: name };
  }
  return undefined;
}

/**
 * Finds a model's price (see {@linkcode resolvePrice}); never by substring
 * unless a catalogue rule says so.
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
  return resolvePrice(table, model)?.entry;
}

/**
 * Lays `override` over `base`: an override entry replaces, wholesale, every
 * base entry that shares its id or any alias (and keeps the match rule of
 * the one with its id, so the names that entry matched still resolve); an
 * alias-only entry adds its names to the base entry with its id.
 * Throws {@linkcode DataError} when that entry does not exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergePricing } from "./pricing.ts";
 * import { toPeriod } from "./price_period.ts";
 * const e = (id: string, aliases: string[]) =>
 *   ({ id, aliases, match: null, periods: [toPeriod({ input: "1", output: "2" })], source: "x", reference: null });
 * const merged = mergePricing(
 *   { updated: null, entries: [e("a", ["a1"]), e("b", [])] },
 *   { updated: null, entries: [e("a1-new", ["a1"])], alias_only: [{ id: "b", aliases: ["bee"] }] },
 * );
 * assert.ok(merged.entries.map((m) => m.id).join() === "a1-new,b");
 * assert.deepEqual(merged.entries[1].aliases, ["bee"]);
 * ```
 */
export function mergePricing(base: PricingTable, override: PricingTable): PricingTable {
  const names = (e: ModelPrice) => [e.id, ...e.aliases];
  const taken = new Set(override.entries.flatMap(names));
  const byId = new Map(base.entries.map((e) => [e.id, e]));
  const extra = new Map<string, string[]>();
  for (const a of override.alias_only ?? []) {
    const target = byId.get(a.id);
    if (!target || taken.has(a.id)) {
      throw new DataError(
        `${
          override.overrides?.at(-1) ?? "pricing"
        }: ${a.id}: an entry with only aliases adds them ` +
          `to the built-in entry of that id, and there is none (see kitty-telemetry pricing); ` +
          `give it input and output rates instead`,
      );
    }
    extra.set(a.id, [...(extra.get(a.id) ?? []), ...a.aliases]);
  }
  const replaced = override.entries.map((o) => {
    const same = byId.get(o.id);
    return o.match === null && same?.match ? { ...o, match: same.match } : o;
  });
  return {
    updated: override.updated ?? base.updated,
    // Overrides first: their names and rules win over the built-in ones.
    entries: [
      ...replaced,
      ...base.entries.filter((e) => !names(e).some((n) => taken.has(n))).map((e) =>
        extra.has(e.id) ? withNames(e, [...e.aliases, ...extra.get(e.id)!]) : e
      ),
    ],
    catalogue: base.catalogue ?? null,
    overrides: [...(base.overrides ?? []), ...(override.overrides ?? [])],
    prices_at: override.prices_at ?? base.prices_at ?? null,
  };
}

/** A copy of an entry with other aliases (its periods read, not copied, when lazy). */
function withNames(entry: ModelPrice, aliases: string[]): ModelPrice {
  const copy = Object.create(
    Object.getPrototypeOf(entry),
    Object.getOwnPropertyDescriptors(entry),
  ) as ModelPrice;
  copy.aliases = aliases;
  return copy;
}
