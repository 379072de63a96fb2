/**
 * OTLP/JSON value encoding: `AnyValue`, `KeyValue` and nanosecond times, as
 * the protobuf JSON mapping writes them (64-bit integers as strings).
 *
 * @module
 */
import { isoInstantMs } from "../event/iso_time.ts";

/** An OTLP `AnyValue` in its JSON form (only the kinds this tool writes). */
export type AnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean };

/** An OTLP `KeyValue` in its JSON form. */
export interface KeyValue {
  /** The attribute name. */
  key: string;
  /** Its value. */
  value: AnyValue;
}

/** How an attribute's value is typed on the wire. */
export type ValueType = "string" | "int" | "double" | "bool";

/**
 * The attribute's value read back as a JS value (ingest): strings, numbers
 * (an `intValue` string becomes a number when safe, else stays its digits)
 * and booleans.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plainValue } from "./otlp_values.ts";
 * assert.equal(plainValue({ intValue: "12" }), 12);
 * assert.equal(plainValue({ intValue: "99999999999999999999" }), "99999999999999999999");
 * assert.equal(plainValue({ stringValue: "x" }), "x");
 * ```
 */
export function plainValue(value: unknown): string | number | boolean | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.stringValue === "string") return v.stringValue;
  if (typeof v.boolValue === "boolean") return v.boolValue;
  if (typeof v.doubleValue === "number") return v.doubleValue;
  if (typeof v.intValue === "string" || typeof v.intValue === "number") {
    const n = Number(v.intValue);
    if (Number.isSafeInteger(n)) return n;
    // Too big for a number: the digits as text, so a count is refused by name, not dropped.
    return typeof v.intValue === "string" && /^-?\d+$/.test(v.intValue) ? v.intValue : undefined;
  }
  return undefined;
}

/**
 * Microseconds since 1970 of an RFC 3339 time (exact in a double), for
 * arithmetic without a BigInt per event; {@linkcode nanosText} writes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nanosText, unixMicros } from "./otlp_values.ts";
 * const t = "2026-01-01T00:00:01.5+00:00";
 * assert.equal(nanosText(unixMicros(t)), "1767225601500000000");
 * assert.equal(nanosText(unixMicros("1970-01-01T00:00:01.000002+00:00")), "1000002000");
 * assert.equal(nanosText(unixMicros(t) - 1500 * 1000), String(BigInt(Date.parse(t)) * 1_000_000n - 1_500_000_000n));
 * assert.equal(nanosText(unixMicros("1970-01-01T00:00:00Z")), "0");
 * ```
 */
export function unixMicros(timestamp: string): number {
  const ms = isoInstantMs(timestamp);
  if (!Number.isFinite(ms)) throw new RangeError(`not a timestamp: ${timestamp}`);
  return Math.round(ms * 1000);
}

/**
 * Microseconds as the decimal text of nanoseconds; a time before 1970 as 0
 * (OTLP's times are unsigned: a strict reader refuses a minus, and the
 * whole batch with it).
 */
export function nanosText(micros: number): string {
  return micros <= 0 ? "0" : `${micros}000`;
}

/**
 * A span's start: `micros` less `durationMs`, as {@linkcode nanosText}
 * writes it (exact through BigInt when the difference is past a double's
 * integers).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startNanosText } from "./otlp_values.ts";
 * assert.equal(startNanosText(5_000, 2), "3000000");
 * assert.equal(startNanosText(1_000, 5), "0"); // before 1970
 * assert.equal(startNanosText(2 ** 53, 1), String(2n ** 53n * 1000n - 1_000_000n));
 * ```
 */
export function startNanosText(micros: number, durationMs: number): string {
  const less = micros - durationMs * 1000;
  if (Number.isSafeInteger(less)) return nanosText(less);
  const nanos = BigInt(micros) * 1000n - BigInt(durationMs) * 1_000_000n;
  return nanos <= 0n ? "0" : String(nanos);
}
