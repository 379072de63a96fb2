/**
 * What `cost` groups by: the field table's grouped payload fields (work
 * package, agent, role, model), then the feature and the event's UTC day,
 * ISO week and month; and each dimension's value for an event.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { isoInstantMs } from "../event/iso_time.ts";
import {
  type CostKey,
  DEFAULT_GROUPS,
  fieldOf,
  type GroupedKey,
  PAYLOAD_GROUPS,
  type PayloadGroup,
  type ReadPayloadFields,
} from "../event/fields.ts";
import { nameKey } from "../event/name_key.ts";
import { canonicalModel } from "./canonical_model.ts";
import type { PricingTable } from "./pricing.ts";

/** Dimensions that are not payload fields: the feature and the event's UTC day, ISO week, month. */
export const OTHER_GROUPS: readonly ["feature", "day", "week", "month"] = [
  "feature",
  "day",
  "week",
  "month",
] as const;

/** The dimensions `cost` can group by: the table's grouped payload fields, then the others. */
export const GROUP_KEYS: readonly GroupKey[] = [
  ...PAYLOAD_GROUPS.map(([group]) => group),
  ...OTHER_GROUPS,
];

/** `cost`'s grouping when none is asked for. */
export const DEFAULT_GROUP_BY: readonly GroupKey[] = DEFAULT_GROUPS;

/** One grouping dimension. */
export type GroupKey = PayloadGroup | typeof OTHER_GROUPS[number];

/**
 * What cost reads of an execution event: parsed events and the views the
 * byte-level reader fills both have it.
 */
export type CostedEvent = Pick<Event, "aggregate_id" | "timestamp"> & {
  payload: Pick<ReadPayloadFields, CostKey | GroupedKey>;
  /** The timestamp as epoch milliseconds, when the reader can give it without a string. */
  timeMs?: () => number;
  /** `cost_usd` split exactly by the reader (whole dollars; NaN or absent: not split), see `ExecutionView`. */
  usdWhole?: number;
  /** With `usdWhole`: the 1e-15 USD below a dollar. */
  usdFemtos?: number;
};

const GROUPED_KEY: Record<string, GroupedKey> = Object.assign(
  Object.create(null),
  Object.fromEntries(PAYLOAD_GROUPS),
);

/**
 * The group key whose values are priced: the model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MODEL_GROUP } from "./group_keys.ts";
 * assert.equal(MODEL_GROUP, "model");
 * ```
 */
export const MODEL_GROUP: PayloadGroup = PAYLOAD_GROUPS.find(([, key]) => fieldOf(key)?.priced)![0];
// The grouped field the table prices by: its values are model names.
const MODEL_KEY = PAYLOAD_GROUPS.find(([g]) => g === MODEL_GROUP)![1];
const NO_PRICES: PricingTable = { updated: null, entries: [] };

/**
 * The value of one dimension for an event. Time keys are UTC: `day`
 * `YYYY-MM-DD`, `week` ISO `YYYY-Www`, `month` `YYYY-MM`. The model is the
 * canonical model (see `canonicalModel`) in `pricing`, by default in an
 * empty table (the name trimmed and lower-cased); every other name (feature,
 * wp, agent, role) is its {@linkcode nameKey} (NFC). Callers compute it once
 * per distinct {@linkcode groupInput}, not per event.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyValue } from "./group_keys.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const e = { aggregate_id: "f", timestamp: "2026-03-02T10:00:00Z", payload: {} } as never;
 * assert.ok(keyValue(e, "week") === "2026-W10");
 * const m = { payload: { model: "claude-sonnet-4.5" } } as never;
 * assert.ok(keyValue(m, "model", defaultPricing()) === "claude-sonnet-4-5");
 * const nfd = { payload: { agent: "cafe\u0301" } } as never;
 * assert.ok(keyValue(nfd, "agent") === "caf\u00e9");
 * ```
 */
export function keyValue(
  event: CostedEvent,
  key: GroupKey,
  pricing: PricingTable = NO_PRICES,
): string | null {
  switch (key) {
    case "feature":
      return nameKey(event.aggregate_id);
    case "day":
      return DAY.of(instantOf(event));
    case "month":
      return MONTH.of(instantOf(event));
    case "week":
      return WEEK.of(instantOf(event));
    default: {
      const field = GROUPED_KEY[key];
      const value = event.payload[field];
      if (value === null) return null;
      return field === MODEL_KEY ? canonicalModel(pricing, value) : nameKey(value);
    }
  }
}

/**
 * What a key's value is made from, when that is one value to cache it by:
 * the feature, or the payload field's value (the same value always gives
 * the same {@linkcode keyValue}); undefined for the time keys.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyInput } from "./group_keys.ts";
 * const e = { aggregate_id: "f", timestamp: "2026-03-02T10:00:00Z", payload: { model: "M" } } as never;
 * assert.deepEqual([keyInput(e, "model"), keyInput(e, "feature"), keyInput(e, "day")], ["M", "f", undefined]);
 * ```
 */
export function keyInput(event: CostedEvent, key: GroupKey): string | null | undefined {
  switch (key) {
    case "feature":
      return event.aggregate_id;
    case "day":
    case "month":
    case "week":
      return undefined;
    default:
      return event.payload[GROUPED_KEY[key]];
  }
}

/**
 * What decides a key's value, to cache groups by: {@linkcode keyInput}, or
 * for a time key the UTC day number (every time key's value is one per
 * day).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupInput } from "./group_keys.ts";
 * const e = { aggregate_id: "f", timestamp: "1970-01-02T10:00:00Z", payload: { agent: "a" } } as never;
 * assert.deepEqual([groupInput(e, "agent"), groupInput(e, "week")], ["a", 1]);
 * ```
 */
export function groupInput(event: CostedEvent, key: GroupKey): string | number | null {
  const input = keyInput(event, key);
  return input !== undefined ? input : utcDayNumber(instantOf(event));
}

/** Days since 1970-01-01 UTC of an instant: what every time key's value is one per. */
function utcDayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
const DAY_MS = 86_400_000;

/** An event's instant (epoch ms): from the reader's bytes when it can, with no string made. */
function instantOf(event: CostedEvent): number {
  return event.timeMs?.() ?? isoInstantMs(event.timestamp);
}

/**
 * A time key's text for the UTC day an instant falls in, the last day's
 * kept: a log's events come mostly in time order, so most events of a scan
 * reuse it.
 */
class DayKey {
  #day = NaN;
  #text = "";
  constructor(readonly text: (ms: number) => string) {}
  of(ms: number): string {
    const day = utcDayNumber(ms);
    if (day !== this.#day) {
      // From the day's first instant, so the text is the day's whichever event came first
      // (a Date truncates a fraction of a millisecond toward zero: before 1970, into the next day).
      this.#text = this.text(day * DAY_MS);
      this.#day = day;
    }
    return this.#text;
  }
}
const DAY = new DayKey(utcDate);
// The day's text less its `-DD` (the year may have more than four digits).
const MONTH = new DayKey((ms) => utcDate(ms).slice(0, -3));
const WEEK = new DayKey((ms) => isoWeek(new Date(ms)));

/**
 * `YYYY-MM-DD` of an instant in UTC, as `toISOString().slice(0, 10)` gives
 * for years 0-9999 (other years signed or longer, see `yearText`), by integer arithmetic (days to civil date, after Howard
 * Hinnant): a Date and its ISO string cost several times more per event.
 */
function utcDate(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError("Invalid time value");
  const z = utcDayNumber(ms) + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) -
      Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${yearText(year)}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

/** A year in at least four digits, signed before year 0 (`-0001`), as ISO 8601 writes it. */
function yearText(year: number): string {
  return (year < 0 ? "-" : "") + String(Math.abs(year)).padStart(4, "0");
}

function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${yearText(day.getUTCFullYear())}-W${String(week).padStart(2, "0")}`;
}
