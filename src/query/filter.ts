/**
 * Event filters (combined with AND; several values of one filter with OR)
 * and the parsing of their textual forms: dates, relative times, globs.
 *
 * @module
 */
import { isoInstantMs } from "../event/iso_time.ts";
import type { Event } from "../event/envelope.ts";
import { InvalidInputError } from "../errors.ts";
import { isRfc3339 } from "../event/text_rules.ts";
import { nameKey } from "../event/name_key.ts";
import { nameListOf, type NameTest } from "./name_list.ts";

/**
 * A parsed filter; every field is optional. Times are epoch ms, inclusive.
 * Names (types, features, wps, agents, roles, models) compare after
 * `nameKey` (NFC) on both sides: either Unicode spelling matches both.
 */
export interface EventFilter {
  /** `event_type` values to keep. */
  types?: string[];
  /** Feature slug patterns, as {@linkcode featureMatches} reads them. */
  features?: string[];
  /** Payload `wp_id` values; like the next four, excludes non-execution events. */
  wps?: string[];
  /** Payload `agent` values. */
  agents?: string[];
  /** Payload `role` values. */
  roles?: string[];
  /**
   * Payload `model` names, compared after {@linkcode modelKey} and as {@linkcode modelStem}. No alias
   * resolution here: the CLI expands `--model X` into every spelling of X's
   * pricing entry (`modelSpellings`) before the filter is built.
   */
  models?: string[];
  /** Keep only succeeded (true) or only failed (false) executions. */
  success?: boolean;
  /** Earliest event time kept, in epoch ms (see {@linkcode parseTimeBound}). */
  since?: number;
  /** Latest event time kept, in epoch ms. */
  until?: number;
}

/**
 * The part of `filter` that every copy of an id shares in the logs read:
 * which logs (`features`) and which event types. The rest picks events
 * within those logs, so it can take one copy of an id and leave another.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logsPart } from "./filter.ts";
 * assert.deepEqual(logsPart({ features: ["043"], agents: ["codex"] }), { features: ["043"], types: undefined });
 * ```
 */
export function logsPart(filter: EventFilter): EventFilter {
  const { types, features } = filter;
  return { types, features };
}

/**
 * True when `filter` picks events within the logs it reads (anything but
 * {@linkcode logsPart}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { picksWithinLogs } from "./filter.ts";
 * assert.ok(picksWithinLogs({ success: false }) && !picksWithinLogs({ features: ["043"] }));
 * ```
 */
export function picksWithinLogs(filter: EventFilter): boolean {
  const shared = logsPart(filter);
  return Object.entries(filter).some(([key, value]) =>
    value !== undefined && !Object.hasOwn(shared, key)
  );
}

/**
 * True when a feature slug matches a pattern: a glob (`*`, `?`) matches the
 * whole slug; a plain pattern matches as a prefix (`043` → `043-foo`). Both
 * compared after `nameKey` (NFC).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { featureMatches } from "./filter.ts";
 * assert.ok(featureMatches("043-x", "043") && featureMatches("043-x", "04*"));
 * assert.ok(!featureMatches("043-x", "43"));
 * ```
 */
export function featureMatches(name: string, glob: string): boolean {
  const slug = nameKey(name);
  const pattern = nameKey(glob);
  if (!/[*?]/.test(pattern)) return slug.startsWith(pattern);
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${re}$`).test(slug);
}

/** What filters read of an event (parsed events and byte-read views have it). */
export type Filterable = Pick<Event, "event_type" | "aggregate_id" | "timestamp"> & {
  payload: object;
  /** The timestamp as epoch milliseconds, when the reader can give it without a string. */
  timeMs?: () => number;
};

/**
 * True when the event passes every filter. Non-execution events have no
 * wp/agent/role/model/success, so those filters exclude them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matches } from "./filter.ts";
 * const e = { event_type: "X", aggregate_id: "043-a", timestamp: "2026-01-01T00:00:00Z", payload: {} } as never;
 * assert.ok(matches(e, { features: ["043"] }) && !matches(e, { agents: ["claude"] }));
 * ```
 */
export function matches(event: Filterable, filter: EventFilter): boolean {
  const p = event.payload as Record<string, unknown>;
  const oneOf = (list: string[] | undefined, value: unknown) =>
    list === undefined || list.includes(value as string) || nameListOf(list).has(value);
  if (!oneOf(filter.types, event.event_type)) return false;
  if (filter.features && !filter.features.some((f) => featureMatches(event.aggregate_id, f))) {
    return false;
  }
  if (!oneOf(filter.wps, p.wp_id) || !oneOf(filter.agents, p.agent)) return false;
  if (!oneOf(filter.roles, p.role)) return false;
  if (filter.models && !modelIn(filter.models, p.model)) return false;
  if (filter.success !== undefined && p.success !== filter.success) return false;
  if (filter.since !== undefined || filter.until !== undefined) {
    const t = event.timeMs?.() ?? instantMs(event.timestamp);
    if (filter.since !== undefined && t < filter.since) return false;
    if (filter.until !== undefined && t > filter.until) return false;
  }
  return true;
}

/**
 * Normalises a model name for comparison: trimmed, lower-case, NFC (see
 * `nameKey`). The pricing table's lookup and `cost`'s model groups compare
 * names the same way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelKey } from "./filter.ts";
 * assert.ok(modelKey(" Claude-Sonnet-4.5 ") === "claude-sonnet-4.5");
 * assert.ok(modelKey("Mode\u0301le") === "mod\u00e9le");
 * ```
 */
export function modelKey(name: string): string {
  return nameKey(name.trim().toLowerCase());
}

/**
 * A model name without what varies between spellings of one model: a
 * `provider/` prefix and a snapshot date suffix (`-20250929`,
 * `-2025-09-29`), normalised as {@linkcode modelKey}. Cost groups a name
 * the catalogue prices by a rule under its stem (see `canonicalModel`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelStem } from "./filter.ts";
 * assert.equal(modelStem("Anthropic/Claude-Sonnet-4-5-20250929"), "claude-sonnet-4-5");
 * assert.equal(modelStem("gpt-4o-2024-08-06"), "gpt-4o");
 * ```
 */
export function modelStem(name: string): string {
  const key = modelKey(name);
  return key.slice(key.lastIndexOf("/") + 1).replace(/-20\d{2}-?\d{2}-?\d{2}$/, "");
}

// A model is in a list when one of its names is the model's key or stem.
const modelTest: NameTest = (model, keys) =>
  keys.has(modelKey(model)) || keys.has(modelStem(model));

function modelIn(models: string[], model: unknown): boolean {
  // The exact test first: stored names are nearly always already normal.
  return models.includes(model as string) || nameListOf(models, modelTest).has(model);
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const TIME_FORMS = "YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] (naive = UTC), or a relative " +
  "time like 30m, 24h, 7d, 2w";

/**
 * Parses a `--since`/`--until` value into epoch ms. A date alone means the
 * start of that UTC day, or with `endOfDay` its last millisecond (so
 * `--until 2026-03-01` includes the whole day). Naive date-times are UTC.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTimeBound } from "./filter.ts";
 * assert.ok(parseTimeBound("--since", "2026-03-01", 0) === Date.UTC(2026, 2, 1));
 * assert.ok(parseTimeBound("--since", "1d", 86_400_000) === 0);
 * ```
 */
export function parseTimeBound(flag: string, text: string, now: number, endOfDay = false): number {
  const value = text.trim();
  const relative = /^(\d+)([mhdw])$/.exec(value);
  if (relative) return now - Number(relative[1]) * UNITS[relative[2]];
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const iso = `${value}T00:00:00Z`;
    // The last microsecond of the day: timestamps carry microseconds.
    if (isRfc3339(iso)) return instantMs(iso) + (endOfDay ? 86_400_000 - 0.001 : 0);
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i
    .exec(value);
  if (m) {
    const iso = `${m[1]}T${m[2]}${m[3] ?? ":00"}${m[5] ?? "Z"}`;
    if (isRfc3339(iso)) return instantMs(iso);
  }
  throw new InvalidInputError(
    `${flag}: cannot read ${JSON.stringify(text)}; expected ${TIME_FORMS}`,
  );
}

/**
 * Epoch milliseconds of an RFC 3339 timestamp, keeping microseconds as a
 * fraction (`Date.parse` drops them, and Python writes them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { instantMs } from "./filter.ts";
 * assert.ok(instantMs("1970-01-01T00:00:00.001500Z") === 1.5);
 * ```
 */
export function instantMs(timestamp: string): number {
  return isoInstantMs(timestamp);
}

/**
 * Parses `true`/`false` for `--success`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSuccess } from "./filter.ts";
 * assert.ok(parseSuccess("false") === false);
 * ```
 */
export function parseSuccess(text: string): boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  throw new InvalidInputError(`--success: expected true or false, got ${JSON.stringify(text)}`);
}
