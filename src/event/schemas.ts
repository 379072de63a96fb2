/**
 * The event schemas as the library exports them: validators built from the
 * field table (`table_schema.ts`), typed by the parsing calls alone.
 *
 * @module
 */
import type { Event } from "./envelope.ts";
import { EnvelopeSchema as envelope } from "./envelope.ts";
import type { ExecutionInput, ExecutionPayload } from "./execution.ts";
import { ExecutionInputSchema as input, ExecutionPayloadSchema as payload } from "./execution.ts";
import type { Schema } from "./table_schema.ts";

export type { SafeParseResult, Schema, SchemaError, SchemaIssue } from "./table_schema.ts";

/**
 * The envelope of every event. Unknown top-level keys are kept, since a newer
 * writer may add fields that a rewrite must not drop.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EnvelopeSchema } from "./schemas.ts";
 * const r = EnvelopeSchema.safeParse({ event_id: "nope" });
 * assert.ok(!r.success && r.error.issues.some((i) => i.path[0] === "event_id"));
 * ```
 */
export const EnvelopeSchema: Schema<Event> = envelope;

/**
 * An execution payload as read from a log: optional keys that older writers
 * (and the Python layout) leave out get their defaults; unknown keys are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExecutionPayloadSchema } from "./schemas.ts";
 * const p = ExecutionPayloadSchema.parse({ agent: "claude", role: "planner" });
 * assert.ok(p.wp_id === "N/A" && p.input_tokens === null);
 * ```
 */
export const ExecutionPayloadSchema: Schema<ExecutionPayload> = payload;

/**
 * One execution record as a caller hands it to `emit`: the payload plus
 * optional ids. Unknown keys are rejected, since on input they are almost
 * always typos that would silently lose data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExecutionInputSchema } from "./schemas.ts";
 * const r = ExecutionInputSchema.safeParse({ agent: "a", role: "r", input_token: 1 });
 * assert.ok(!r.success);
 * ```
 */
export const ExecutionInputSchema: Schema<ExecutionInput> = input;
