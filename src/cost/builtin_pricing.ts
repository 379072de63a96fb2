/**
 * The built-in pricing table: the embedded catalogue
 * (`catalogue_data.json`, extracted from `@pydantic/genai-prices` by
 * `deno task prices`) with our `pricing.yaml` laid over it (the names and
 * models the catalogue lacks). Both are in the module graph, so the table
 * works compiled and from a URL; no file is read at run time. Both are
 * ours and checked by the tests, so they are read without the schema
 * library (~25 ms of start-up, paid only when an override file is read),
 * and the overlay as JSON (`overlay_data.json`, written from pricing.yaml
 * by `deno task pricing:overlay`), without the YAML parser (~15 ms).
 *
 * @module
 */
import { mergePricing, type PricingTable } from "./pricing.ts";
import type { AliasOnly, ModelPrice } from "./pricing.ts";
import { toModelPrice } from "./pricing_entry.ts";
import type { ModelEntry } from "./pricing_schema.ts";
import { type Catalogue, catalogueTable } from "./catalogue.ts";
import defaultPricingText from "../../pricing.yaml" with { type: "text" };
import catalogueData from "./catalogue_data.json" with { type: "json" };
import overlayData from "./overlay_data.json" with { type: "json" };

/** Source name of the built-in overlay's entries. */
export const BUILT_IN = "built-in";

/** The built-in overlay's text. */
export const BUILT_IN_TEXT: string = defaultPricingText;

/** The embedded catalogue. */
export const BUILT_IN_CATALOGUE: Catalogue = catalogueData as unknown as Catalogue;

let cached: PricingTable | undefined;

/**
 * The built-in table: the embedded catalogue (or `catalogue`, one installed
 * with `pricing update`), with `pricing.yaml` over it. Built once per
 * catalogue; treat it as read-only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * assert.ok(defaultPricing().entries.length > 0);
 * ```
 */
export function defaultPricing(catalogue?: Catalogue): PricingTable {
  if (!catalogue && cached) return cached;
  const base = catalogueTable(catalogue ?? BUILT_IN_CATALOGUE);
  const ours = overlay();
  // An installed catalogue may lack ids our overlay names: those names are left out.
  const ids = new Set(base.entries.map((e) => e.id));
  ours.alias_only = ours.alias_only!.filter((a) => ids.has(a.id));
  const table = mergePricing(base, ours);
  const result = { ...table, overrides: [] };
  if (!catalogue) cached = result;
  return result;
}

/** `pricing.yaml` alone (as `overlay_data.json`), as a table to lay over the catalogue. */
export function overlay(): PricingTable {
  // Read only (toModelPrice copies): the module's object serves every call.
  const raw = overlayData as {
    updated?: string | Date;
    models: Record<string, Partial<ModelEntry>>;
  };
  // The defaults the schema would fill in.
  const all = Object.entries(raw.models ?? {}).map(([id, entry]) =>
    toModelPrice(id, { aliases: [], tiers: [], ...entry } as ModelEntry, BUILT_IN)
  );
  const updated = raw.updated;
  return {
    updated: updated instanceof Date ? updated.toISOString().slice(0, 10) : updated ?? null,
    entries: all.filter((e): e is ModelPrice => "periods" in e),
    alias_only: all.filter((e): e is AliasOnly => !("periods" in e)),
    overrides: [BUILT_IN],
  };
}
