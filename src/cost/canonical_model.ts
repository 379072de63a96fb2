/**
 * The canonical model: what `cost` groups by and `--model` matches, so that
 * every spelling of one priced model (dated id, dotted alias, other case)
 * is one row and one filter.
 *
 * @module
 */
import { modelKey } from "../query/filter.ts";
import { findPrice, type PricingTable } from "./pricing.ts";

// Per table and recorded name: this runs once per event.
const CACHES = new WeakMap<PricingTable, Map<string, string>>();

/**
 * The canonical form of a recorded model name: the id of the pricing entry
 * whose id or alias it is (trimmed, case-insensitive), otherwise the name
 * itself trimmed and lower-cased.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalModel } from "./canonical_model.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const table = defaultPricing();
 * assert.ok(canonicalModel(table, "claude-sonnet-4-5-20250929") === "claude-sonnet-4-5");
 * assert.ok(canonicalModel(table, " Claude-Sonnet-4.5") === "claude-sonnet-4-5");
 * assert.ok(canonicalModel(table, "Foo-Model ") === "foo-model");
 * ```
 */
export function canonicalModel(table: PricingTable, name: string): string {
  let cache = CACHES.get(table);
  if (!cache) {
    cache = new Map();
    CACHES.set(table, cache);
  }
  let canonical = cache.get(name);
  if (canonical === undefined) {
    canonical = findPrice(table, name)?.id ?? modelKey(name);
    cache.set(name, canonical);
  }
  return canonical;
}

/**
 * Every normalised spelling whose canonical model is `name`'s: the entry's
 * id and aliases for a priced model, the normalised name alone otherwise.
 * A filter on these names (compared after `modelKey`) matches exactly the
 * events whose canonical model is `name`'s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelSpellings } from "./canonical_model.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const names = modelSpellings(defaultPricing(), "Claude-Sonnet-4.5");
 * assert.ok(names.includes("claude-sonnet-4-5") && names.includes("claude-sonnet-4-5-20250929"));
 * assert.deepEqual(modelSpellings(defaultPricing(), " Foo-Model"), ["foo-model"]);
 * ```
 */
export function modelSpellings(table: PricingTable, name: string): string[] {
  const canonical = canonicalModel(table, name);
  const entry = findPrice(table, name);
  const names = new Set([modelKey(name)]);
  // An alias that an earlier entry also claims resolves there, not here.
  for (const n of entry ? [entry.id, ...entry.aliases] : []) {
    if (canonicalModel(table, n) === canonical) names.add(n);
  }
  return [...names];
}
