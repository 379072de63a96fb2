/**
 * Trace and span ids derived from an event's identity, so exporting the same
 * event twice gives the same ids (backends that de-duplicate can), and every
 * spelling of one id gives one trace.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { normalizeEventId } from "../event/event_id.ts";
import { sha256Hex } from "./sha256.ts";

/** A span's ids, lower-case hex as OTLP/JSON writes them. */
export interface SpanIds {
  /** 32 hex digits. */
  traceId: string;
  /** 16 hex digits. */
  spanId: string;
}

/**
 * The trace id is the first 16 bytes of SHA-256 over the normalised id, the
 * span id the next 8; an all-zero id (invalid in OTLP) cannot come out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spanIds } from "./otlp_ids.ts";
 * const a = spanIds("01KHJVJWDM0HGAGYGXJYKD1JQG");
 * assert.deepEqual(a, spanIds("01khjvjwdm0hgagygxjykd1jqg"));
 * assert.match(a.traceId, /^[0-9a-f]{32}$/);
 * assert.match(a.spanId, /^[0-9a-f]{16}$/);
 * ```
 */
export function spanIds(eventId: string): SpanIds {
  const digest = sha256Hex(normalizeEventId(eventId));
  return { traceId: nonZero(digest.slice(0, 32)), spanId: nonZero(digest.slice(32, 48)) };
}

function nonZero(hex: string): string {
  return /^0+$/.test(hex) ? hex.slice(0, -1) + "1" : hex;
}

/**
 * An event id (a hyphenated UUID) for an outside record, from the words that
 * identify it, so importing the same record twice yields the same id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { derivedEventId } from "./otlp_ids.ts";
 * assert.equal(derivedEventId(["a", "b"]), derivedEventId(["a", "b"]));
 * assert.notEqual(derivedEventId(["a", "b"]), derivedEventId(["ab", ""]));
 * assert.match(derivedEventId(["x"]), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
 * ```
 */
export function derivedEventId(identity: readonly string[]): string {
  const h = createHash("sha256").update(JSON.stringify(identity)).digest("hex");
  // RFC 9562 version 8 (custom), variant 10.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${
    h.slice(20, 32)
  }`;
}
