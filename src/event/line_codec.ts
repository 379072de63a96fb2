/**
 * One event per JSONL line: the canonical compact layout the tool writes,
 * and the tolerant parse used for every line it reads (its own layout, the
 * Python writer's, hand edits).
 *
 * @module
 */
import type { z } from "../deps.ts";
import { EnvelopeSchema, type Event } from "./envelope.ts";
import { fastCheck } from "./fast_check.ts";
import { ExecutionPayloadSchema, isExecutionEvent } from "./execution.ts";

export { encodeEvent, ENVELOPE_KEYS } from "./line_encode.ts";

/** The outcome of decoding one line. */
export type DecodeResult =
  | { ok: true; event: Event }
  | { ok: false; reason: string };

/**
 * Parses one line into a validated event. Execution events get their payload
 * validated and defaulted too. Never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeLine } from "./line_codec.ts";
 * const r = decodeLine("{not json");
 * assert.ok(!r.ok && r.reason.startsWith("invalid JSON"));
 * ```
 */
export function decodeLine(line: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `invalid JSON (${(error as Error).message})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "not a JSON object" };
  }
  const fast = fastCheck(value);
  if (fast) return { ok: true, event: fast };
  const envelope = EnvelopeSchema.safeParse(value);
  if (!envelope.success) return { ok: false, reason: describe(envelope.error) };
  const event = envelope.data;
  if (!isExecutionEvent(event)) return { ok: true, event };
  const payload = ExecutionPayloadSchema.safeParse(event.payload);
  if (!payload.success) {
    return { ok: false, reason: describe(payload.error, "payload.") };
  }
  return { ok: true, event: { ...event, payload: payload.data } };
}

/**
 * Describes the first problem of a zod error as `field: message`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "../deps.ts";
 * import { describe } from "./line_codec.ts";
 * const r = z.object({ a: z.number() }).safeParse({ a: "x" });
 * assert.ok(!r.success && describe(r.error).startsWith("a: "));
 * ```
 */
export function describe(error: z.ZodError, prefix = ""): string {
  const issue = error.issues[0];
  if (!issue) return "invalid value";
  const path = issue.path.join(".");
  if (issue.code === "unrecognized_keys") {
    return `${prefix}${path ? path + "." : ""}${issue.keys.join(", ")}: unknown field`;
  }
  return `${prefix}${path || "(value)"}: ${issue.message}`;
}
