/**
 * The execution event's type name and payload keys in their fixed written
 * order, free of the schema library (the fast read path needs only these).
 * A test checks they match the zod schema in `execution.ts`.
 *
 * @module
 */

/** The `event_type` of execution events. */
export const EXECUTION_EVENT = "ExecutionEvent";

/**
 * The payload keys in the fixed order the tool writes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_KEYS } from "./payload_keys.ts";
 * assert.equal(PAYLOAD_KEYS[0], "wp_id");
 * ```
 */
export const PAYLOAD_KEYS = [
  "wp_id",
  "agent",
  "role",
  "model",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_usd",
  "duration_ms",
  "success",
  "error",
  "exit_code",
] as const;
