/**
 * The filter flags `query` and `cost` share, and their help text.
 *
 * @module
 */
import { type EventFilter, modelKey, parseSuccess, parseTimeBound } from "../query/filter.ts";
import { modelSpellings } from "../cost/canonical_model.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { validateFeatureSlug } from "../store/project_layout.ts";
import { UsageError } from "./errors.ts";

/** parseArgs options for filters. */
export const FILTER_OPTIONS = {
  type: { type: "string", multiple: true },
  feature: { type: "string", multiple: true },
  wp: { type: "string", multiple: true },
  agent: { type: "string", multiple: true },
  role: { type: "string", multiple: true },
  model: { type: "string", multiple: true },
  success: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
} as const;

/** Help lines for the filter flags. */
export const FILTER_HELP = `Filters (combined with AND; a repeated flag matches any of its values):
  --feature PATTERN       slug prefix (043) or glob (043-*, 04?-*)
  --wp ID  --agent NAME  --role ROLE
  --model ID              any spelling of the model: its pricing entry's id and
                          aliases match, in any case
  --success true|false
  --since WHEN  --until WHEN
                          inclusive; YYYY-MM-DD (--until includes that whole day),
                          YYYY-MM-DDTHH:MM[:SS] (naive = UTC) with optional offset,
                          or relative: 30m, 24h, 7d, 2w`;

/** The filter flags as parsed. */
export interface FilterValues {
  type?: string[];
  feature?: string[];
  wp?: string[];
  agent?: string[];
  role?: string[];
  model?: string[];
  success?: string;
  since?: string;
  until?: string;
}

/**
 * Builds a filter from parsed flag values; bad values are usage errors.
 * Each `--model` becomes every spelling of its entry in `pricing` (without
 * a table, its normalised name alone).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filterFromFlags } from "./filter_flags.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const f = filterFromFlags({ feature: ["043"], success: "true" }, 0);
 * assert.ok(f.success === true && f.features?.[0] === "043");
 * const m = filterFromFlags({ model: ["Claude-Sonnet-4.5"] }, 0, defaultPricing());
 * assert.ok(m.models?.includes("claude-sonnet-4-5") && m.models?.includes("claude-sonnet-4.5"));
 * ```
 */
export function filterFromFlags(
  values: FilterValues,
  now: number,
  pricing?: PricingTable,
): EventFilter {
  const filter: EventFilter = {};
  if (values.type) filter.types = values.type;
  if (values.feature) {
    for (const pattern of values.feature) {
      validateFeatureSlug(pattern.replace(/[*?]/g, "x"), { portable: false });
    }
    filter.features = values.feature;
  }
  if (values.wp) filter.wps = values.wp;
  if (values.agent) filter.agents = values.agent;
  if (values.role) filter.roles = values.role;
  if (values.model) {
    filter.models = [
      ...new Set(values.model.flatMap((m) => pricing ? modelSpellings(pricing, m) : [modelKey(m)])),
    ];
  }
  if (values.success !== undefined) filter.success = parseSuccess(values.success);
  if (values.since !== undefined) filter.since = parseTimeBound("--since", values.since, now);
  if (values.until !== undefined) {
    filter.until = parseTimeBound("--until", values.until, now, true);
  }
  if (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until) {
    throw new UsageError(
      `--since ${values.since} is after --until ${values.until}: nothing could match; swap them`,
    );
  }
  return filter;
}

/**
 * The filters as given, for echoing in JSON output.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filtersEcho } from "./filter_flags.ts";
 * assert.ok(JSON.stringify(filtersEcho({ wp: ["WP01"] })) === '{"wp":["WP01"]}');
 * ```
 */
export function filtersEcho(values: FilterValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(FILTER_OPTIONS) as (keyof FilterValues)[]) {
    if (values[key] !== undefined) out[key] = values[key];
  }
  return out;
}
