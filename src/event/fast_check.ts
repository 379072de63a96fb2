/**
 * A hand-written check that accepts only events the schemas would accept
 * unchanged (every execution payload key present, so no defaults to fill).
 * Lines the tool wrote pass it and skip the schemas (`table_schema.ts`,
 * whose issues are zod's; zod itself was ~7x slower than JSON.parse);
 * anything else falls back to them, which stay the one source of truth (a
 * differential test keeps the two in agreement).
 *
 * @module
 */
import type { Event } from "./envelope.ts";
import {
  ENVELOPE_FIELDS,
  EXECUTION_EVENT,
  fieldOf,
  type FieldSpec,
  INPUT_ENVELOPE_KEYS,
  PAYLOAD_FIELDS,
} from "./fields.ts";
import { isName, readPayload, validValue } from "./field_checks.ts";

/** True when every row's key is present with a valid value. */
function allValid(fields: readonly FieldSpec[], v: Record<string, unknown>): boolean {
  for (const f of fields) if (!(f.key in v) || !validValue(f, v[f.key])) return false;
  return true;
}

/**
 * The value as an event when it certainly is a complete, valid one;
 * `undefined` means "ask the schemas" (it may still be valid).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fastCheck } from "./fast_check.ts";
 * assert.ok(fastCheck({ event_type: "X" }) === undefined);
 * ```
 */
export function fastCheck(value: unknown): Event | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (!allValid(ENVELOPE_FIELDS, v)) return undefined;
  if (v.event_type === EXECUTION_EVENT && !allValid(PAYLOAD_FIELDS, v.payload as never)) {
    return undefined;
  }
  return v as Event;
}

/**
 * `fastCheck(value)`, else `leanRead(value)`, with the envelope checked
 * once: the event as it stands when complete and valid, else with its
 * payload's invalid values read as unknown (named in `invalid`), else
 * `undefined` (no event: its envelope is refused).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readEvent } from "./fast_check.ts";
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "ExecutionEvent", aggregate_id: "043-x",
 *   lamport_clock: 1, node_id: "n1", causation_id: null, timestamp: "2026-02-16T09:12:58Z",
 *   payload: { agent: "a", role: "r", input_tokens: -1 },
 * };
 * assert.deepEqual(readEvent(event)?.invalid, ["input_tokens"]);
 * assert.equal(readEvent({ ...event, lamport_clock: -1 }), undefined);
 * ```
 */
export function readEvent(value: unknown): { event: Event; invalid?: string[] } | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (!allValid(ENVELOPE_FIELDS, v)) return undefined;
  if (v.event_type !== EXECUTION_EVENT || allValid(PAYLOAD_FIELDS, v.payload as never)) {
    return { event: v as Event };
  }
  const { payload, invalid } = readPayload(v.payload as Record<string, unknown>);
  const event = { ...v, payload } as Event;
  return invalid.length > 0 ? { event, invalid } : { event };
}

const INPUT_KEYS = new Set<string>([...PAYLOAD_FIELDS.map((f) => f.key), ...INPUT_ENVELOPE_KEYS]);
const ID = fieldOf("event_id")!;

/**
 * An `emit` record checked by hand, with defaults filled, exactly as the
 * input schema would return it; `undefined` means "ask the schema" (for
 * the value or for a precise error).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fastInput } from "./fast_check.ts";
 * assert.equal(fastInput({ agent: "a", role: "r" })?.wp_id, "N/A");
 * assert.equal(fastInput({ agent: "a", role: "r", typo: 1 }), undefined);
 * ```
 */
export function fastInput(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const key in fields) if (!INPUT_KEYS.has(key) || fields[key] === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const f of PAYLOAD_FIELDS) {
    const value = f.key in fields ? fields[f.key] : "default" in f ? f.default : undefined;
    if (value === undefined || !validValue(f, value)) return undefined;
    out[f.key] = value;
  }
  if ("event_id" in fields) {
    if (!validValue(ID, fields.event_id)) return undefined;
    out.event_id = fields.event_id;
  }
  out.causation_id = fields.causation_id ?? null;
  if (out.causation_id !== null && !validValue(ID, out.causation_id)) return undefined;
  out.event_type = "event_type" in fields ? fields.event_type : EXECUTION_EVENT;
  return isName(out.event_type) ? out : undefined;
}

/**
 * A value whose envelope is valid, read as an event the lenient way (see
 * `readPayload`: invalid payload values become unknown), without the
 * schema library; `undefined` when the envelope is not valid (the schemas
 * then say why). What a log's reader takes once the strict check fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { leanRead } from "./fast_check.ts";
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "ExecutionEvent", aggregate_id: "f",
 *   lamport_clock: 1, node_id: "n", causation_id: null, timestamp: "2026-01-01T00:00:00Z",
 *   payload: { agent: "a", role: "r", input_tokens: -1 },
 * };
 * assert.deepEqual(leanRead(event)?.invalid, ["input_tokens"]);
 * assert.equal(leanRead({ ...event, lamport_clock: -1 }), undefined);
 * ```
 */
export function leanRead(value: unknown): { event: Event; invalid?: string[] } | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (!allValid(ENVELOPE_FIELDS, v)) return undefined;
  if (v.event_type !== EXECUTION_EVENT) return { event: v as Event };
  const { payload, invalid } = readPayload(v.payload as Record<string, unknown>);
  const event = { ...v, payload } as Event;
  return invalid.length > 0 ? { event, invalid } : { event };
}
