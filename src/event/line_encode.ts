/**
 * The canonical compact line the tool writes for an event. Free of the
 * schema library, so writing costs no start-up for it.
 *
 * @module
 */
import type { Event } from "./envelope.ts";
import { ENVELOPE_KEYS, EXECUTION_EVENT, PAYLOAD_KEYS } from "./fields.ts";

export { ENVELOPE_KEYS };

/**
 * Serialises an event as one compact JSON line (no trailing newline) in the
 * fixed key order: envelope keys, then unknown top-level keys; inside an
 * execution payload, the known keys in order (all present, null when
 * unknown), then unknown payload keys.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeEvent } from "./line_encode.ts";
 * const line = encodeEvent({
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "Note",
 *   aggregate_id: "043-x", lamport_clock: 1, node_id: "n1",
 *   causation_id: null, timestamp: "2026-02-16T09:12:58Z", payload: { a: 1 },
 * });
 * assert.ok(line.startsWith('{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type"'));
 * ```
 */
export function encodeEvent(event: Event): string {
  const payload = event.event_type === EXECUTION_EVENT
    ? ordered(event.payload, PAYLOAD_KEYS)
    : event.payload;
  return JSON.stringify(ordered({ ...event, payload }, ENVELOPE_KEYS));
}

/**
 * The text {@linkcode encodeEvent} writes before each value of an object
 * whose keys come in this order: `{"key":` for the first, `,"key":` for
 * the others (JSON.stringify's spelling, no whitespace). For writers that
 * build the same line from parts: each value then goes in as
 * {@linkcode valueText} spells it, and the line ends with one `}` per
 * object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyTexts } from "./line_encode.ts";
 * assert.deepEqual(keyTexts(["a", "b"]), ['{"a":', ',"b":']);
 * ```
 */
export function keyTexts(keys: readonly string[]): string[] {
  return keys.map((key, i) => `${i === 0 ? "{" : ","}${JSON.stringify(key)}:`);
}

/**
 * How {@linkcode encodeEvent} spells a known key's value: as
 * `JSON.stringify` does, an absent one as `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { valueText } from "./line_encode.ts";
 * assert.deepEqual([valueText(-0), valueText(1e-7), valueText(undefined)], ["0", "1e-7", "null"]);
 * ```
 */
export function valueText(value: unknown): string {
  // A finite number as String spells it, which is JSON.stringify's spelling, without its call.
  if (typeof value === "number" && Number.isFinite(value)) return "" + value;
  return JSON.stringify(value ?? null);
}

function ordered(
  source: Record<string, unknown>,
  keys: ReadonlyArray<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = source[key] ?? null; // valueText's absent value
  for (const [key, value] of Object.entries(source)) {
    if (!(key in out)) out[key] = value;
  }
  return out;
}
