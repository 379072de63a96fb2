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

/**
 * Defaults of the payload keys a record or an older line may omit (`agent`
 * and `role` have none). The zod schema and the hand check both use these.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_DEFAULTS } from "./payload_keys.ts";
 * assert.equal(PAYLOAD_DEFAULTS.wp_id, "N/A");
 * ```
 */
export const PAYLOAD_DEFAULTS = {
  wp_id: "N/A",
  model: null,
  input_tokens: null,
  output_tokens: null,
  cache_read_tokens: null,
  cache_write_tokens: null,
  reasoning_tokens: null,
  cost_usd: null,
  duration_ms: 0,
  success: true,
  error: null,
  exit_code: 0,
} as const;
