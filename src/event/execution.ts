/**
 * Execution events: one agent invocation with its tokens, cost and outcome.
 * The payload's fields are the rows of `fields.ts`; the schemas here are
 * built from them.
 *
 * @module
 */
import type { Event } from "./envelope.ts";
import { shapeOf } from "./field_schemas.ts";
import { fieldRule, objectSchema, optionalRule, type Schema } from "./table_schema.ts";
import {
  EXECUTION_EVENT,
  fieldOf,
  PAYLOAD_FIELDS,
  PAYLOAD_KEYS,
  type PayloadFields,
  type PayloadRecord,
  type ReadPayloadFields,
} from "./fields.ts";

export { EXECUTION_EVENT, PAYLOAD_KEYS };

/**
 * A parsed execution payload: the table's fields (any of them null when the
 * log held an invalid value for it) plus any unknown keys, kept.
 */
export type ExecutionPayload = ReadPayloadFields & { [key: string]: unknown };

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
export const ExecutionPayloadSchema: Schema<ExecutionPayload> = objectSchema(
  shapeOf(PAYLOAD_FIELDS),
  "loose",
);

/** An event whose payload is a parsed execution payload. */
export type ExecutionEvent = Event & {
  event_type: typeof EXECUTION_EVENT;
  payload: ExecutionPayload;
};

/** A validated `emit` input record: the payload plus optional ids. */
export type ExecutionInput = PayloadFields & {
  event_id?: string;
  causation_id: string | null;
  event_type: string;
};

/**
 * An execution record as a library caller hands it to `recordExecutions`:
 * `agent` and `role`, any other payload field (defaults fill the rest), and
 * optional ids.
 */
export type ExecutionRecord = PayloadRecord & {
  event_id?: string;
  causation_id?: string | null;
  event_type?: string;
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
export const ExecutionInputSchema: Schema<ExecutionInput> = objectSchema({
  ...shapeOf(PAYLOAD_FIELDS),
  event_id: optionalRule(fieldRule(fieldOf("event_id")!)),
  causation_id: fieldRule(fieldOf("causation_id")!, { default: null }),
  event_type: fieldRule(fieldOf("event_type")!, { default: EXECUTION_EVENT }),
}, "strict");

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
