/**
 * The one table from an execution event to OpenTelemetry attributes: the
 * GenAI semantic conventions where they have a name, ours under `kitty.*`.
 * Spans and log records carry the same attributes; `docs/opentelemetry.md`
 * prints this table.
 *
 * @module
 */
import type { ExecutionEvent } from "../event/execution.ts";
import type { EventCost } from "../cost/estimate.ts";
import { formatUsd, MONEY_SCALE } from "../cost/money.ts";
import type { ValueType } from "./otlp_values.ts";
import { type ENVELOPE_FIELDS, PAYLOAD_KEYS, type PayloadKey } from "../event/fields.ts";
import { wellFormedCut } from "./well_formed.ts";

/** An event with what pricing says of it. */
export interface ExportRow {
  /** The stored event. */
  event: ExecutionEvent;
  /** Its cost and how it was found. */
  cost: EventCost;
  /** The model id cost groups it under (the recorded name when unpriced), or null. */
  canonicalModel: string | null;
  /** The pricing entry's provider (e.g. `anthropic`), or null when unknown. */
  provider: string | null;
  /**
   * The event's time in microseconds since 1970, when the reader had it
   * (`unixMicros` of the timestamp); else it is read from the timestamp.
   */
  micros?: number;
}

/** One attribute: its key, wire type and how it is read from a row. */
export interface AttributeSpec {
  /** The attribute name. */
  readonly key: string;
  /** Its OTLP value type. */
  readonly type: ValueType;
  /** What it means (the documentation table prints it). */
  readonly help: string;
  /** The value; null or undefined leaves the attribute out. */
  readonly of: (row: ExportRow) => string | number | bigint | boolean | null | undefined;
}

const p = (row: ExportRow) => row.event.payload;

/**
 * A field an attribute's value is the stored value of, as it stands: then
 * a writer that has the line's text of that value (the wasm item writer)
 * may copy it instead of calling `of`.
 */
export interface CopiedField {
  /** Whether `key` is a payload key (else an envelope key). */
  payload: boolean;
  /** The field. */
  key: string;
}
const COPIED = new WeakMap<AttributeSpec["of"], CopiedField>();
/** The payload keys by name, so that code names them without a string. */
export const PAYLOAD_NAMES: { readonly [K in PayloadKey]: K } = Object.fromEntries(
  PAYLOAD_KEYS.map((k) => [k, k]),
) as { [K in PayloadKey]: K };
const P = PAYLOAD_NAMES;

/** An `of` that returns a field as stored (a named read, generated), marked as a copy. */
function copied(payload: boolean, key: string): AttributeSpec["of"] {
  if (!/^[a-z_][a-z0-9_]*$/.test(key)) throw new RangeError(`not a plain key: ${key}`);
  const of = new Function("r", `return r.event${payload ? ".payload" : ""}.${key};`);
  COPIED.set(of as AttributeSpec["of"], { payload, key });
  return of as AttributeSpec["of"];
}
const payloadField = (key: PayloadKey) => copied(true, key);
const envelopeField = (key: typeof ENVELOPE_FIELDS[number]["key"]) => copied(false, key);

/**
 * The field an attribute's `of` returns as stored, if it is such a copy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { copiedField, EVENT_ATTRIBUTES } from "./otlp_mapping.ts";
 * const of = (key: string) => EVENT_ATTRIBUTES.find((a) => a.key === key)!.of;
 * assert.deepEqual(copiedField(of("kitty.node_id")), { payload: false, key: "node_id" });
 * assert.equal(copiedField(of("kitty.cost_usd")), undefined);
 * ```
 */
export function copiedField(of: AttributeSpec["of"]): CopiedField | undefined {
  return COPIED.get(of);
}

/**
 * The catalogue's provider ids that the GenAI conventions spell otherwise
 * (their well-known `gen_ai.provider.name` values); others pass as they are.
 */
const PROVIDER_NAMES: ReadonlyMap<string, string> = new Map([
  ["google", "gcp.gen_ai"],
  ["mistral", "mistral_ai"],
  ["x-ai", "x_ai"],
  ["azure", "azure.ai.openai"],
  ["aws", "aws.bedrock"],
]);
/**
 * Three counts added, null when none is known (no array per event); exact
 * past 2^53 (then a BigInt), as `cost` sums tokens.
 */
function sum(a?: number | null, b?: number | null, c?: number | null): number | bigint | null {
  if ((a ?? b ?? c ?? null) === null) return null;
  // Counts are never negative: a double sum that is a safe integer was exact all the way.
  const quick = 0 + (a ?? 0) + (b ?? 0) + (c ?? 0);
  return Number.isSafeInteger(quick) ? quick : BigInt(a ?? 0) + BigInt(b ?? 0) + BigInt(c ?? 0);
}

/** The longest `kitty.error` text, in UTF-16 code units. */
export const ERROR_ATTRIBUTE_CHARS = 4096;

const DIVISOR = 10n ** BigInt(MONEY_SCALE - 6);

/**
 * `Number(formatUsd(units))` (USD to 6 decimals, half up) without the text:
 * the rounded micro-dollars divided by a million, which IEEE division
 * rounds as parsing the decimal text does (both are exact until 2^53).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatUsd } from "../cost/money.ts";
 * import { usd6 } from "./otlp_mapping.ts";
 * for (const units of [0n, 1n, 499_999_999n, 500_000_000n, 123_456_789_012_345_678n, -7n, 10n ** 40n]) {
 *   assert.equal(usd6(units), Number(formatUsd(units)));
 * }
 * ```
 */
export function usd6(units: bigint): number {
  if (units >= 0n) {
    const micros = (units + DIVISOR / 2n) / DIVISOR;
    if (micros <= 9_007_199_254_740_991n) return Number(micros) / 1e6;
  }
  return Number(formatUsd(units));
}

/** Half a micro-dollar in 1e-15 USD units. */
const HALF_MICRO = 500_000_000;

/**
 * `usd6(cost.units)`, from the units as a double when the cost has them so
 * (`small`, below 2^52): no BigInt made, the rounded micro-dollars found
 * exactly in a double.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costUsd6, usd6 } from "./otlp_mapping.ts";
 * for (const small of [0, 499_999_999, 500_000_000, 1_499_999_999, 2 ** 52 - 1, 2 ** 52 - 500_000_001]) {
 *   const cost = { kind: "estimated" as const, units: BigInt(small), small };
 *   assert.equal(costUsd6(cost), usd6(BigInt(small)));
 * }
 * ```
 */
export function costUsd6(cost: EventCost & { small?: number }): number {
  const small = cost.small;
  if (small === undefined || !(small >= 0 && small < 2 ** 52)) return usd6(cost.units);
  // Exact: the quotient is below 2^23, where a double's rounding error (at most 2^-31) is less
  // than the least distance (1e-9) from a quotient that is no integer to the next integer.
  const micros = Math.floor((small + HALF_MICRO) / 1e9);
  return micros / 1e6;
}

/** The `gen_ai.operation.name` of every exported span and record. */
export const OPERATION = "invoke_agent";

/** The attribute that carries the event id. */
export const EVENT_ID_KEY = "kitty.event_id";

/** The event name of exported log records. */
export const LOG_EVENT_NAME = "kitty.execution";

// deno-fmt-ignore
/** Every attribute of an exported span or log record, in written order. */
export const EVENT_ATTRIBUTES: readonly AttributeSpec[] = [
  { key: "gen_ai.operation.name", type: "string", help: `always \`${OPERATION}\``, of: () => OPERATION },
  { key: "gen_ai.provider.name", type: "string", help: "the pricing entry's provider, as the conventions spell it (left out when unknown)", of: (r) => r.provider === null ? null : PROVIDER_NAMES.get(r.provider) ?? r.provider },
  { key: "gen_ai.agent.name", type: "string", help: "the agent that ran", of: payloadField(P.agent) },
  { key: "gen_ai.request.model", type: "string", help: "model as recorded", of: payloadField(P.model) },
  { key: "gen_ai.usage.input_tokens", type: "int", help: "input + cache read + cache write (OpenTelemetry counts cached tokens as input)", of: (r) => sum(p(r).input_tokens, p(r).cache_read_tokens, p(r).cache_write_tokens) },
  { key: "gen_ai.usage.output_tokens", type: "int", help: "output tokens (reasoning included)", of: payloadField(P.output_tokens) },
  { key: "gen_ai.usage.cache_read.input_tokens", type: "int", help: "cache read tokens", of: payloadField(P.cache_read_tokens) },
  { key: "gen_ai.usage.cache_creation.input_tokens", type: "int", help: "cache write tokens", of: payloadField(P.cache_write_tokens) },
  { key: "gen_ai.usage.reasoning.output_tokens", type: "int", help: "reasoning tokens", of: payloadField(P.reasoning_tokens) },
  { key: "error.type", type: "string", help: "on failures: `exit_code_N`, or `_OTHER` when the exit code is 0", of: (r) => p(r).success !== false ? null : (p(r).exit_code ?? 0) !== 0 ? `exit_code_${p(r).exit_code}` : "_OTHER" },
  { key: "kitty.model", type: "string", help: "the canonical model cost groups by", of: (r) => r.canonicalModel },
  { key: "kitty.feature", type: "string", help: "feature (the event's aggregate_id)", of: envelopeField("aggregate_id") },
  { key: "kitty.wp", type: "string", help: "work package", of: payloadField(P.wp_id) },
  { key: "kitty.role", type: "string", help: "the role it ran in", of: payloadField(P.role) },
  { key: "kitty.input_tokens", type: "int", help: "uncached input tokens, as recorded", of: payloadField(P.input_tokens) },
  { key: "kitty.cache_write_1h_tokens", type: "int", help: "of the cache writes, those kept for 1 hour (priced apart)", of: payloadField(P.cache_write_1h_tokens) },
  { key: "kitty.cost_usd", type: "double", help: "the cost `cost` counts: as reported, else the estimate to 6 decimals (0 when unpriced)", of: (r) => r.cost.kind === "reported" ? p(r).cost_usd : costUsd6(r.cost) },
  { key: "kitty.cost_source", type: "string", help: "`reported`, `estimated` or `unpriced`", of: (r) => r.cost.kind },
  { key: EVENT_ID_KEY, type: "string", help: "event id", of: envelopeField("event_id") },
  { key: "kitty.lamport_clock", type: "int", help: "Lamport clock", of: envelopeField("lamport_clock") },
  { key: "kitty.node_id", type: "string", help: "node that wrote it", of: envelopeField("node_id") },
  { key: "kitty.duration_ms", type: "int", help: "wall time of the run", of: payloadField(P.duration_ms) },
  { key: "kitty.success", type: "bool", help: "whether the run succeeded", of: payloadField(P.success) },
  { key: "kitty.exit_code", type: "int", help: "exit code", of: payloadField(P.exit_code) },
  { key: "kitty.error", type: "string", help: "error message (up to 4,096 characters; a lone surrogate as U+FFFD)", of: (r) => { const e = p(r).error; return e === null || e === undefined ? e : wellFormedCut(e, ERROR_ATTRIBUTE_CHARS); } },
];

/** The `AnyValue` member each wire type is written as. */
export const VALUE_MEMBER = {
  string: "stringValue",
  int: "intValue",
  double: "doubleValue",
  bool: "boolValue",
} as const;

// Written as text, not built as objects and stringified: an export of a
// million events spends most of its time here.
const PREFIXES = EVENT_ATTRIBUTES.map((spec) =>
  `{"key":${JSON.stringify(spec.key)},"value":{"${VALUE_MEMBER[spec.type]}":`
);

function valueJson(type: ValueType, value: string | number | bigint | boolean): string | undefined {
  switch (type) {
    case "string":
      return JSON.stringify(String(value));
    case "int":
      return `"${value}"`;
    case "double": {
      const n = Number(value);
      return Number.isFinite(n) ? String(n) : undefined;
    }
    case "bool":
      return value ? "true" : "false";
  }
}

/**
 * A row's attributes as the JSON text of an OTLP `KeyValue` list's members,
 * in table order, leaving out the unknown ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { attributesJson, type ExportRow } from "./otlp_mapping.ts";
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "ExecutionEvent" as const, aggregate_id: "f",
 *   lamport_clock: 1, node_id: "n", causation_id: null, timestamp: "2026-01-01T00:00:00+00:00",
 *   payload: { wp_id: "WP01", agent: "claude", role: "r", model: null, input_tokens: 3,
 *     output_tokens: null, cache_read_tokens: 2, cache_write_tokens: null, cache_write_1h_tokens: null,
 *     reasoning_tokens: null, cost_usd: null, duration_ms: 0, success: true, error: null, exit_code: 0 },
 * };
 * const row: ExportRow = { event, cost: { kind: "unpriced", units: 0n, model: null }, canonicalModel: null, provider: null };
 * const attrs = JSON.parse(`[${attributesJson(row)}]`);
 * assert.deepEqual(attrs.find((a: { key: string }) => a.key === "gen_ai.usage.input_tokens")?.value, { intValue: "5" });
 * assert.equal(attrs.find((a: { key: string }) => a.key === "gen_ai.request.model"), undefined);
 * ```
 */
export function attributesJson(row: ExportRow): string {
  const parts: string[] = [];
  for (let i = 0; i < EVENT_ATTRIBUTES.length; i++) {
    const spec = EVENT_ATTRIBUTES[i];
    const value = spec.of(row);
    if (value === null || value === undefined) continue;
    const known = FRAGMENTS[i];
    let fragment = known?.get(value);
    if (fragment === undefined) {
      const json = valueJson(spec.type, value);
      if (json === undefined) continue;
      fragment = PREFIXES[i] + json + "}}";
      if (known !== undefined) remember(i, known, value, fragment);
    }
    parts.push(fragment);
  }
  return parts.join(",");
}

/**
 * Each attribute's written members by value, for attributes whose values
 * repeat (agents, models, features, flags): most of an event's attributes
 * are then one lookup. An attribute found to have many values (ids, clocks,
 * tokens) stops being remembered.
 */
const FRAGMENTS: (Map<unknown, string> | undefined)[] = EVENT_ATTRIBUTES.map(() => new Map());
const REMEMBERED = 256;

function remember(i: number, known: Map<unknown, string>, value: unknown, fragment: string) {
  if (known.size < REMEMBERED) known.set(value, fragment);
  else FRAGMENTS[i] = undefined;
}
