/**
 * The built-in pricing table, embedded in the program as text (so it works
 * compiled and from a URL; no file is read at run time). Overrides are read
 * by `store/pricing_file.ts`. The built-in
 * file is ours and checked against the schemas by the tests, so it is read
 * without them: the schema library costs ~25 ms of start-up, paid only
 * when an override file is read (`pricing_parse.ts`).
 *
 * @module
 */
import { parseYaml } from "../yaml.ts";
import { type PricingTable, toModelPrice } from "./pricing.ts";
import type { ModelEntry } from "./pricing_schema.ts";
import defaultPricingText from "../../pricing.yaml" with { type: "text" };

/** Source name of the built-in entries. */
export const BUILT_IN = "built-in";

/** The built-in file's text. */
export const BUILT_IN_TEXT: string = defaultPricingText;

/**
 * The built-in table, from the top-level `pricing.yaml`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * assert.ok(defaultPricing().entries.length > 0);
 * ```
 */
export function defaultPricing(): PricingTable {
  const raw = parseYaml(defaultPricingText) as {
    updated?: string | Date;
    models: Record<string, Partial<ModelEntry>>;
  };
  // The defaults the schema would fill in.
  const entries = Object.entries(raw.models).map(([id, entry]) =>
    toModelPrice(id, { aliases: [], tiers: [], ...entry } as ModelEntry, BUILT_IN)
  );
  const updated = raw.updated;
  return {
    updated: updated instanceof Date ? updated.toISOString().slice(0, 10) : updated ?? null,
    entries,
  };
}
