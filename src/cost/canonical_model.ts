/**
 * The canonical model: what `cost` groups by and `--model` matches, so that
 * every spelling of one priced model (dated id, dotted alias, other case)
 * is one row and one filter.
 *
 * @module
 */
import { modelKey, modelStem } from "../query/filter.ts";
import { type PricingTable, resolvePrice } from "./pricing.ts";

// Per table and recorded name: this runs once per event.
const CACHES = new WeakMap<PricingTable, Map<string, string>>();

/**
 * The canonical form of a recorded model name: the id of the pricing entry
 * whose id or alias it is (trimmed, case-insensitive). A name priced by a
 * catalogue rule is its stem (no `provider/` prefix, no snapshot date:
 * see `modelStem`), or the entry's id when the stem is one of the entry's
 * names: a rule may price several models alike (gpt-5 and gpt-5-codex),
 * which stay apart. Unpriced: the name trimmed and lower-cased.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalModel } from "./canonical_model.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const table = defaultPricing();
 * assert.ok(canonicalModel(table, "claude-sonnet-4-5-20250929") === "claude-sonnet-4-5");
 * assert.ok(canonicalModel(table, " Claude-Sonnet-4.5") === "claude-sonnet-4-5");
 * assert.ok(canonicalModel(table, "GPT-5-Codex") === "gpt-5-codex");
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
    canonical = uncached(table, name);
    cache.set(name, canonical);
  }
  return canonical;
}

function uncached(table: PricingTable, name: string): string {
  const hit = resolvePrice(table, name);
  if (!hit) return modelKey(name);
  if (hit.how !== "rule") return hit.entry.id;
  const stem = modelStem(name);
  const same = resolvePrice(table, stem);
  return same && same.how !== "rule" && same.entry === hit.entry ? hit.entry.id : stem;
}

/**
 * Every normalised spelling whose canonical model is `name`'s that the
 * table knows: the entry's id and aliases (those that resolve to the same
 * canonical model) and the name itself. A filter on these names, compared
 * after `modelKey` and as `modelStem`, matches the events whose canonical
 * model is `name`'s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelSpellings } from "./canonical_model.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const names = modelSpellings(defaultPricing(), "Claude-Sonnet-4.5");
 * assert.ok(names.includes("claude-sonnet-4-5") && names.includes("claude-sonnet-4.5"));
 * assert.deepEqual(modelSpellings(defaultPricing(), " Foo-Model"), ["foo-model"]);
 * ```
 */
export function modelSpellings(table: PricingTable, name: string): string[] {
  const canonical = canonicalModel(table, name);
  const entry = resolvePrice(table, name)?.entry;
  const names = new Set([modelKey(name), canonical]);
  // An alias that an earlier entry also claims resolves there, not here.
  for (const n of entry ? [entry.id, ...entry.aliases] : []) {
    if (canonicalModel(table, n) === canonical) names.add(n);
  }
  return [...names];
}
