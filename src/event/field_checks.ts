/**
 * The checks behind the field table's kinds: what each kind accepts, and the
 * words that say so in errors. Free of the schema library (the schemas in
 * `field_schemas.ts` accept exactly the same, which a test holds them to).
 *
 * @module
 */
import {
  type FieldKind,
  type FieldSpec,
  PAYLOAD_FIELDS,
  type PayloadFields,
  type PayloadRecord,
} from "./fields.ts";
import { NAME_RULE, nameProblem } from "./text_rules.ts";
import { MAX_LAMPORT_CLOCK } from "./clock_ceiling.ts";
import { isoInstantMs } from "./iso_time.ts";
import { isEventId } from "./event_id.ts";

/**
 * True for a valid name (the one name rule, {@linkcode nameProblem}): 1 to
 * 256 characters, no control characters (C0, DEL, C1), no lone surrogates.
 * Features, work packages, agents, roles, models, nodes and event types all
 * follow it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isName } from "./field_checks.ts";
 * assert.ok(isName("WP01") && !isName("") && !isName("a\nb") && !isName("\u0085"));
 * ```
 */
export function isName(v: unknown): v is string {
  return typeof v === "string" && nameProblem(v) === null;
}

/** The bounds of a number kind: whole numbers only or not, and the least and greatest value. */
export interface NumberRange {
  /** Whole (and safe) numbers only. */
  readonly whole: boolean;
  /** The least value allowed. */
  readonly min: number;
  /** The greatest value allowed. */
  readonly max: number;
}

/**
 * The number kinds' bounds: the checks below and the schemas' issues
 * (`table_schema.ts`) both read them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NUMBER_RANGES } from "./field_checks.ts";
 * assert.equal(NUMBER_RANGES.usd.max, 1e12);
 * ```
 */
export const NUMBER_RANGES: { readonly [K in NumberKind]: NumberRange } = {
  count: { whole: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  clock: { whole: true, min: 0, max: MAX_LAMPORT_CLOCK },
  usd: { whole: false, min: 0, max: 1e12 },
  integer: { whole: true, min: -(2 ** 31), max: 2 ** 31 - 1 },
};

/** The kinds whose values are numbers. */
export type NumberKind = "count" | "clock" | "usd" | "integer";

const inRange = (r: NumberRange) => (v: unknown): boolean =>
  (r.whole ? Number.isSafeInteger(v) : typeof v === "number") &&
  (v as number) >= r.min && (v as number) <= r.max;

/** The value check of each kind (null is handled by the row's `nullable`). */
export const KIND_CHECKS: { readonly [K in FieldKind]: (v: unknown) => boolean } = {
  name: isName,
  count: inRange(NUMBER_RANGES.count),
  clock: inRange(NUMBER_RANGES.clock),
  usd: inRange(NUMBER_RANGES.usd),
  flag: (v) => typeof v === "boolean",
  text: (v) => typeof v === "string",
  integer: inRange(NUMBER_RANGES.integer),
  time: (v) => typeof v === "string" && !Number.isNaN(isoInstantMs(v)),
  id: (v) => typeof v === "string" && isEventId(v),
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
};

/** What each kind expects, for error messages. */
export const KIND_WORDING: { readonly [K in FieldKind]: string } = {
  name: NAME_RULE,
  count: "a whole number, 0 or more",
  clock: `a whole number from 0 to the clock ceiling, ${MAX_LAMPORT_CLOCK}`,
  usd: "a number of US dollars from 0 to 1e12",
  flag: "true or false",
  text: "a string",
  integer: "a whole number from -2147483648 to 2147483647",
  time: "a date-time as ISO 8601 or Python's datetime.fromisoformat writes it (no offset: UTC)",
  id: "a 26-character ULID or a UUID (32 hex digits, or 36 characters with hyphens)",
  object: "a JSON object",
};

/**
 * True when `value` is valid for the row (null only where allowed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fieldOf } from "./fields.ts";
 * import { validValue } from "./field_checks.ts";
 * assert.ok(validValue(fieldOf("input_tokens")!, null));
 * assert.ok(!validValue(fieldOf("duration_ms")!, null));
 * ```
 */
export function validValue(field: FieldSpec, value: unknown): boolean {
  return value === null ? field.nullable : KIND_CHECKS[field.kind](value);
}

/**
 * The payload with every left-out key at its row's default (a new object;
 * unknown keys kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withDefaults } from "./field_checks.ts";
 * const p = withDefaults({ agent: "claude", role: "planner" });
 * assert.equal(p.wp_id, "N/A");
 * assert.equal(p.duration_ms, 0);
 * ```
 */
export function withDefaults(record: PayloadRecord): PayloadFields {
  const out: Record<string, unknown> = { ...record };
  for (const f of PAYLOAD_FIELDS) {
    if ("default" in f && out[f.key] === undefined) out[f.key] = f.default;
  }
  return out as PayloadFields;
}

/**
 * An execution payload read the way the Python reader reads it: every
 * event with a valid envelope counts, so a value that is not valid for its
 * key (a negative count, a string for a number, `NaN`, a null where none is
 * allowed, a missing `agent` or `role`) is read as unknown (null) and named
 * in `invalid`; a missing optional key gets its default; unknown keys stay.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPayload } from "./field_checks.ts";
 * const { payload, invalid } = readPayload({ agent: "a", role: "r", input_tokens: -1 });
 * assert.equal(payload.input_tokens, null);
 * assert.equal(payload.duration_ms, 0);
 * assert.deepEqual(invalid, ["input_tokens"]);
 * ```
 */
export function readPayload(
  raw: Record<string, unknown>,
): { payload: Record<string, unknown>; invalid: string[] } {
  const payload: Record<string, unknown> = { ...raw };
  const invalid: string[] = [];
  for (const f of PAYLOAD_FIELDS) {
    const value = raw[f.key];
    if (value === undefined && "default" in f) payload[f.key] = f.default;
    else if (value === undefined || !validValue(f, value)) {
      payload[f.key] = null;
      invalid.push(f.key);
    }
  }
  return { payload, invalid };
}

/**
 * The one wording for a line whose payload held values not valid for their
 * keys: what was done with them, and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unknownValues } from "./field_checks.ts";
 * assert.match(unknownValues(["duration_ms"]), /^payload\.duration_ms: /);
 * ```
 */
export function unknownValues(keys: readonly string[]): string {
  return `${keys.map((k) => `payload.${k}`).join(", ")}: not a valid value; read as unknown ` +
    `(the event is counted without it; fix the line to restore it)`;
}
