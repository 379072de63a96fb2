/**
 * Execution events: one agent invocation with its tokens, cost and outcome.
 *
 * @module
 */
import { z } from "../deps.ts";
import type { Event } from "./envelope.ts";
import { EventIdSchema } from "./envelope.ts";
import { NameSchema as name } from "./names.ts";
import { EXECUTION_EVENT, PAYLOAD_DEFAULTS as d, PAYLOAD_KEYS } from "./payload_keys.ts";

export { EXECUTION_EVENT, PAYLOAD_KEYS };

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const tokens = count.nullable();

const payloadShape = {
  wp_id: name.default(d.wp_id),
  agent: name,
  role: name,
  model: name.nullable().default(d.model),
  input_tokens: tokens.default(d.input_tokens),
  output_tokens: tokens.default(d.output_tokens),
  cache_read_tokens: tokens.default(d.cache_read_tokens),
  cache_write_tokens: tokens.default(d.cache_write_tokens),
  reasoning_tokens: tokens.default(d.reasoning_tokens),
  cost_usd: z.number().min(0).max(1e12).nullable().default(d.cost_usd),
  duration_ms: count.default(d.duration_ms),
  success: z.boolean().default(d.success),
  error: z.string().nullable().default(d.error),
  exit_code: z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1).default(d.exit_code),
};

/**
 * Execution payload as read from a log: missing optional keys (older
 * writers, the Python layout) get their defaults; unknown keys are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExecutionPayloadSchema } from "./execution.ts";
 * const p = ExecutionPayloadSchema.parse({ agent: "claude", role: "planner" });
 * assert.ok(p.wp_id === "N/A" && p.cost_usd === null);
 * ```
 */
export const ExecutionPayloadSchema = z.looseObject(payloadShape);

/** A parsed execution payload. */
export type ExecutionPayload = z.infer<typeof ExecutionPayloadSchema>;

/** An event whose payload is a parsed execution payload. */
export type ExecutionEvent = Event & {
  event_type: typeof EXECUTION_EVENT;
  payload: ExecutionPayload;
};

/**
 * One execution record as a caller hands it to `emit` (a `--stdin` line or
 * the flags): the payload plus optional ids. Unknown keys are rejected, since
 * on input they are almost always typos that would silently lose data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExecutionInputSchema } from "./execution.ts";
 * const r = ExecutionInputSchema.safeParse({ agent: "a", role: "r", input_token: 1 });
 * assert.ok(!r.success);
 * ```
 */
export const ExecutionInputSchema = z.strictObject({
  ...payloadShape,
  event_id: EventIdSchema.optional(),
  causation_id: EventIdSchema.nullable().default(null),
  event_type: name.default(EXECUTION_EVENT),
});

/** A validated `emit` input record. */
export type ExecutionInput = z.infer<typeof ExecutionInputSchema>;

/**
 * True when the event is an execution event (by type).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isExecutionEvent } from "./execution.ts";
 * assert.ok(!isExecutionEvent({ event_type: "Other" } as never));
 * ```
 */
export function isExecutionEvent(event: Event): event is ExecutionEvent {
  return event.event_type === EXECUTION_EVENT;
}
