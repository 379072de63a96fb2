/**
 * The one table of event fields: a row per envelope and execution-payload
 * key with its kind, whether null is allowed, its default, its `emit` flag
 * and its help line. Validators, the schemas, both byte readers' layouts,
 * the view and adapter types, `emit`'s flags, help and error wording all
 * derive from it, so adding a payload field is one row here (plus tests).
 * Free of the schema library: the hot read path and the workers use it.
 *
 * @module
 */

/** The `event_type` of execution events. */
export const EXECUTION_EVENT = "ExecutionEvent";

/**
 * How a value is read and checked: `name` (1 to 256 characters, no control
 * characters, no lone surrogates), `count` (a safe non-negative integer),
 * `clock` (an integer from 0 to the ceiling in `clock_ceiling.ts`), `usd` (a number from 0
 * to 1e12), `flag` (a boolean), `text` (any string), `integer` (a signed
 * 32-bit integer), `time` (RFC 3339 with an offset), `id` (an event id, see `event_id.ts`),
 * `object` (a JSON object).
 */
export type FieldKind =
  | "name"
  | "count"
  | "clock"
  | "usd"
  | "flag"
  | "text"
  | "integer"
  | "time"
  | "id"
  | "object";

/** One row of the table. */
export interface FieldSpec {
  /** The JSON key. */
  readonly key: string;
  /** How its value is read and checked. */
  readonly kind: FieldKind;
  /** Whether `null` is a valid value. */
  readonly nullable: boolean;
  /** The value a line or record that leaves the key out gets; absent: required. */
  readonly default?: string | number | boolean | null;
  /** The `emit` flag (without `--`) that sets it; absent: not set by a flag of its own. */
  readonly flag?: string;
  /** The `emit --help` line. */
  readonly help?: string;
  /** Reported by agents (what `--from` adapters fill). */
  readonly run?: boolean;
  /** A token count `cost` sums (and the estimate prices). */
  readonly summed?: boolean;
  /** Read by the cost estimate (besides the summed counts). */
  readonly priced?: boolean;
  /** A share of a summed count priced at its own rate when known (not required to price). */
  readonly share?: boolean;
  /** The name `cost --group-by` knows it by. */
  readonly group?: string;
  /** Part of `cost`'s default grouping. */
  readonly defaultGroup?: boolean;
}

/**
 * Envelope keys in the order the tool writes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ENVELOPE_FIELDS } from "./fields.ts";
 * assert.equal(ENVELOPE_FIELDS[0].key, "event_id");
 * ```
 */
export const ENVELOPE_FIELDS = [
  {
    key: "event_id",
    kind: "id",
    nullable: false,
    flag: "event-id",
    help: "caller-chosen id: a retry with the same id writes nothing",
  },
  { key: "event_type", kind: "name", nullable: false },
  { key: "aggregate_id", kind: "name", nullable: false },
  { key: "lamport_clock", kind: "clock", nullable: false },
  { key: "node_id", kind: "name", nullable: false },
  {
    key: "causation_id",
    kind: "id",
    nullable: true,
    flag: "causation-id",
    help: "id of the event that caused this one",
  },
  { key: "timestamp", kind: "time", nullable: false },
  { key: "payload", kind: "object", nullable: false },
] as const satisfies readonly FieldSpec[];

/**
 * Execution payload keys in the order the tool writes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_FIELDS } from "./fields.ts";
 * assert.equal(PAYLOAD_FIELDS.find((f) => f.key === "wp_id")?.default, "N/A");
 * ```
 */
// deno-fmt-ignore: one row per line reads as a table
export const PAYLOAD_FIELDS = [
  { key: "wp_id", kind: "name", nullable: false, default: "N/A", flag: "wp", help: "work package (default N/A)", group: "wp" },
  { key: "agent", kind: "name", nullable: false, flag: "agent", help: "agent that ran (claude, codex, gemini, ...)", group: "agent", defaultGroup: true },
  { key: "role", kind: "name", nullable: false, flag: "role", help: "implementer, reviewer, specifier, planner, ...", group: "role" },
  { key: "model", kind: "name", nullable: true, default: null, flag: "model", help: "model id as the provider names it", run: true, group: "model", priced: true },
  { key: "input_tokens", kind: "count", nullable: true, default: null, flag: "input-tokens", help: "uncached input tokens", run: true, summed: true },
  { key: "output_tokens", kind: "count", nullable: true, default: null, flag: "output-tokens", help: "output tokens, reasoning included", run: true, summed: true },
  { key: "cache_read_tokens", kind: "count", nullable: true, default: null, flag: "cache-read-tokens", help: "input tokens read from the prompt cache", run: true, summed: true },
  { key: "cache_write_tokens", kind: "count", nullable: true, default: null, flag: "cache-write-tokens", help: "input tokens written to the prompt cache", run: true, summed: true },
  { key: "cache_write_1h_tokens", kind: "count", nullable: true, default: null, flag: "cache-write-1h-tokens", help: "of the cache writes, those kept for 1 hour", run: true, share: true },
  { key: "reasoning_tokens", kind: "count", nullable: true, default: null, flag: "reasoning-tokens", help: "reasoning tokens (already counted in output)", run: true },
  { key: "cost_usd", kind: "usd", nullable: true, default: null, flag: "cost-usd", help: "cost the agent reported (omit: estimated later)", run: true, priced: true },
  { key: "duration_ms", kind: "count", nullable: false, default: 0, flag: "duration-ms", help: "wall time of the run (default 0)", run: true },
  { key: "success", kind: "flag", nullable: false, default: true, run: true },
  { key: "error", kind: "text", nullable: true, default: null, flag: "error", help: "error message", run: true },
  { key: "exit_code", kind: "integer", nullable: false, default: 0, flag: "exit-code", help: "exit code (default 0, 1 with --failure)" },
] as const satisfies readonly FieldSpec[];

/** The TypeScript type of each kind's values. */
export type KindValue = {
  name: string;
  count: number;
  clock: number;
  usd: number;
  flag: boolean;
  text: string;
  integer: number;
  time: string;
  id: string;
  object: Record<string, unknown>;
};

/** The TypeScript type of a row's value. */
export type FieldValue<F extends FieldSpec> = F["nullable"] extends true
  ? KindValue[F["kind"]] | null
  : KindValue[F["kind"]];

/** A payload key. */
export type PayloadKey = typeof PAYLOAD_FIELDS[number]["key"];

/** The known payload fields with their types (what a valid payload holds). */
export type PayloadFields = {
  -readonly [F in typeof PAYLOAD_FIELDS[number] as F["key"]]: FieldValue<F>;
};

/** The envelope fields with their types (what every event holds). */
export type EnvelopeFields = {
  -readonly [F in typeof ENVELOPE_FIELDS[number] as F["key"]]: FieldValue<F>;
};

/**
 * A payload as read from a log: a value that is not valid for its key is
 * read as unknown (null) rather than dropping the event, as the Python
 * reader keeps it; so any field may be null.
 */
export type ReadPayloadFields = { [K in PayloadKey]: PayloadFields[K] | null };

/** Payload keys a record must give: the rows without a default. */
export type RequiredKey = Exclude<typeof PAYLOAD_FIELDS[number], { default: unknown }>["key"];

/** A payload as a library caller hands it in: required keys, any others (defaults fill the rest). */
export type PayloadRecord = Pick<PayloadFields, RequiredKey> & Partial<PayloadFields>;

/** Payload keys an agent reports about its own run. */
export type RunKey = Extract<typeof PAYLOAD_FIELDS[number], { run: true }>["key"];

/** Payload keys of free text, which the byte readers check but do not keep. */
export type TextKey = Extract<typeof PAYLOAD_FIELDS[number], { kind: "text" }>["key"];

/** Payload keys the cost estimate reads. */
export type CostKey = Extract<
  typeof PAYLOAD_FIELDS[number],
  { summed: true } | { priced: true }
>["key"];

/** Payload keys the estimate prices at their own rate when known (shares of a summed count). */
export type ShareKey = Extract<typeof PAYLOAD_FIELDS[number], { share: true }>["key"];

/** Payload keys `cost` can group by. */
export type GroupedKey = Extract<typeof PAYLOAD_FIELDS[number], { group: string }>["key"];

/** The `--group-by` names of payload fields. */
export type PayloadGroup = Extract<typeof PAYLOAD_FIELDS[number], { group: string }>["group"];

/** Payload keys whose token counts `cost` sums. */
export type SummedKey = Extract<typeof PAYLOAD_FIELDS[number], { summed: true }>["key"];

/** The envelope keys a caller may set on an `emit` record (the tool decides the rest). */
export const INPUT_ENVELOPE_KEYS: readonly string[] = ["event_id", "causation_id", "event_type"];

/**
 * The payload keys, in written order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_KEYS } from "./fields.ts";
 * assert.equal(PAYLOAD_KEYS[1], "agent");
 * ```
 */
export const PAYLOAD_KEYS: readonly PayloadKey[] = PAYLOAD_FIELDS.map((f) => f.key);

/**
 * The envelope keys, in written order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ENVELOPE_KEYS } from "./fields.ts";
 * assert.equal(ENVELOPE_KEYS.at(-1), "payload");
 * ```
 */
export const ENVELOPE_KEYS: readonly string[] = ENVELOPE_FIELDS.map((f) => f.key);

/**
 * The keys `cost` sums, in written order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SUMMED_KEYS } from "./fields.ts";
 * assert.ok(SUMMED_KEYS.length >= 4);
 * ```
 */
export const SUMMED_KEYS: readonly SummedKey[] = PAYLOAD_FIELDS
  .filter((f): f is Extract<typeof f, { summed: true }> => "summed" in f && f.summed)
  .map((f) => f.key);

/**
 * A row by key (null-prototype: any string is safe to look up).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fieldOf } from "./fields.ts";
 * assert.equal(fieldOf("cost_usd")?.kind, "usd");
 * assert.equal(fieldOf("constructor"), undefined);
 * ```
 */
export function fieldOf(key: string): FieldSpec | undefined {
  return BY_KEY[key];
}

const BY_KEY: Record<string, FieldSpec> = Object.assign(
  Object.create(null),
  Object.fromEntries([...ENVELOPE_FIELDS, ...PAYLOAD_FIELDS].map((f) => [f.key, f])),
);

/**
 * The `--flag` that sets a key in `emit`, or the key itself when no flag
 * does (for messages about a field).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagOf } from "./fields.ts";
 * assert.equal(flagOf("wp_id"), "--wp");
 * assert.equal(flagOf("success"), "success");
 * ```
 */
export function flagOf(key: string): string {
  const flag = fieldOf(key)?.flag;
  return flag === undefined ? key : `--${flag}`;
}

/**
 * The payload fields `cost` can group by, as `[group name, key]` pairs in
 * table order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_GROUPS } from "./fields.ts";
 * assert.deepEqual(PAYLOAD_GROUPS[0], ["wp", "wp_id"]);
 * ```
 */
export const PAYLOAD_GROUPS: ReadonlyArray<readonly [PayloadGroup, GroupedKey]> = PAYLOAD_FIELDS
  .filter((f): f is Extract<typeof f, { group: string }> => "group" in f)
  .map((f) => [f.group, f.key] as const);

/**
 * The group names of `cost`'s default grouping.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_GROUPS } from "./fields.ts";
 * assert.equal(DEFAULT_GROUPS.length, 1);
 * ```
 */
export const DEFAULT_GROUPS: readonly PayloadGroup[] = PAYLOAD_FIELDS
  .filter((f): f is Extract<typeof f, { defaultGroup: true }> => "defaultGroup" in f)
  .map((f) => f.group);
