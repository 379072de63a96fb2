/**
 * Saying "not an event" cheaply: a log full of junk must cost no more than
 * a log full of events, so the lines that certainly are not events are told
 * apart before the schemas (whose error objects cost ~30x a parse),
 * from their bytes where possible and from the parsed value otherwise. Every
 * test here only ever rejects: a line it cannot settle goes the full way.
 *
 * @module
 */
import { ENVELOPE_FIELDS, type FieldSpec } from "../event/fields.ts";
import { validValue } from "../event/field_checks.ts";
import { jsonNotEvent } from "./json_bytes.ts";

/**
 * No JSON text holding every envelope key is shorter than this many bytes:
 * each key with its quotes and colon, a value of at least one byte, the
 * commas and braces. Escapes and whitespace only lengthen a line, and
 * invalid UTF-8 decodes to no more characters than it has bytes.
 */
export const MIN_EVENT_BYTES: number = 2 + (ENVELOPE_FIELDS.length - 1) +
  ENVELOPE_FIELDS.reduce((n, f) => n + f.key.length + 4, 0);

/**
 * True when the bytes `[start, end)` of a line (not blank, as `trim` sees
 * it) certainly are not an event: too short to hold the envelope, its
 * first byte that is not ASCII whitespace is ASCII but not `{` (`[]`, `"x"`,
 * numbers, text), or it starts with `{` and its bytes are not JSON or lack
 * an envelope key (see {@linkcode jsonNotEvent}). A line that starts with
 * anything else is left undecided.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bytesNotEvent } from "./not_event.ts";
 * const bytes = new TextEncoder().encode("{}");
 * assert.ok(bytesNotEvent(bytes, 0, bytes.length));
 * ```
 */
export function bytesNotEvent(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < MIN_EVENT_BYTES) return !blankAscii(bytes, start, end);
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) continue;
    // A byte >= 0x80 may begin Unicode whitespace (trim would drop it): undecided.
    return b === 0x7b ? jsonNotEvent(bytes, start, end) : b < 0x80;
  }
  return false;
}

/** True when every byte is ASCII whitespace; a non-ASCII byte may be, so it counts as blank. */
function blankAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && (b < 0x09 || b > 0x0d)) return b >= 0x80;
  }
  return true;
}

/**
 * True when the parsed value certainly is not an event: not an object, or
 * a field of the table is missing (without a default) or has a value its
 * kind refuses, in the envelope or in an execution event's payload. The
 * checks are the table's, which the schemas are built to agree with.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { valueNotEvent } from "./not_event.ts";
 * assert.ok(valueNotEvent({}) && valueNotEvent([]) && valueNotEvent("x"));
 * assert.ok(!valueNotEvent({
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "Note", aggregate_id: "043-x",
 *   lamport_clock: 1, node_id: "n1", causation_id: null,
 *   timestamp: "2026-02-16T09:12:58Z", payload: {},
 * }));
 * ```
 */
export function valueNotEvent(value: unknown): boolean {
  // The envelope decides: a payload value not valid for its key is read as
  // unknown, the event kept (see `readPayload`).
  return !isObject(value) || someRefused(ENVELOPE_FIELDS, value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function someRefused(fields: readonly FieldSpec[], v: Record<string, unknown>): boolean {
  for (const f of fields) {
    const value = Object.hasOwn(v, f.key) ? v[f.key] : undefined;
    if (value === undefined ? !("default" in f) : !validValue(f, value)) return true;
  }
  return false;
}

/**
 * True when a line's text (not blank) certainly is not an event: too short
 * to hold the envelope, not JSON, or a value {@linkcode valueNotEvent}
 * refuses. For readers that have the text already.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textNotEvent } from "./not_event.ts";
 * assert.ok(textNotEvent("{}") && textNotEvent("[1, 2]") && textNotEvent(`{"x":"${"y".repeat(200)}"}`));
 * ```
 */
export function textNotEvent(text: string): boolean {
  if (text.length < MIN_EVENT_BYTES) return true;
  // Its bytes may settle it without a parse (nothing built: no garbage per line).
  const bytes = utf8(text);
  if (bytesNotEvent(bytes, 0, bytes.length)) return true;
  try {
    return valueNotEvent(JSON.parse(text));
  } catch {
    // Python's NaN and Infinity are not JSON, yet such a line can be an event.
    return !/NaN|Infinity/.test(text);
  }
}

const encoder = new TextEncoder();
/** Reused for the lines of up to 64 KiB, the only ones worth keeping a buffer for. */
let buffer = new Uint8Array(1024);

/** The text's UTF-8 bytes, in a reused buffer when short (valid until the next call). */
function utf8(text: string): Uint8Array {
  const most = text.length * 3;
  if (most > buffer.length) {
    if (most > 64 * 1024) return encoder.encode(text);
    buffer = new Uint8Array(Math.max(most, buffer.length * 2));
  }
  return buffer.subarray(0, encoder.encodeInto(text, buffer).written);
}
